// A network of layers with a softmax loss (or, for DeepOBS's noisy quadratic,
// its quadratic loss: NetworkConfig::loss). By default the fully connected
// network of cs231n's FullyConnectedNet:
//   {affine - [batch norm] - relu - [dropout]} x (L - 1) - affine - softmax
// and with no hidden layer (L = 1) softmax regression: affine - softmax.
// NetworkConfig::layers gives any other sequence of layers instead, such as
// a conv net (layer_spec.hpp, sequential.hpp). Either way, L2 regularization
// 0.5 * reg * sum(W^2) runs over the weight matrices and conv kernels.
// Parameters and gradients live in one ParamSet; batch norm's running
// statistics live in a second flat buffer, buffers().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"
#include "descent/nn/distillation_loss.hpp"
#include "descent/nn/layer_spec.hpp"
#include "descent/nn/param_set.hpp"
#include "descent/nn/sequential.hpp"

namespace descent {

enum class Init {
  He,       // W ~ N(0, 2 / fan_in)  (Kaiming normal, He et al. 2015)
  Normal,   // W ~ N(0, weight_scale^2)  (cs231n's weight_scale)
  Xavier,   // W ~ N(0, 2 / (fan_in + fan_out))  (Glorot and Bengio 2010)
  PyTorch,  // W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))  (torch.nn.Linear's default)
};
// "he", "normal", "xavier", "pytorch"; ConfigError for anything else.
Init parse_init(const std::string& name);
std::string to_string(Init init);

// What the network's outputs are scored by.
enum class LossKind {
  softmax,         // softmax cross-entropy over num_classes scores (softmax_loss.hpp)
  quadratic_deep,  // DeepOBS's noisy quadratic on 100 outputs, no classes (quadratic_loss.hpp)
};
// "softmax", "quadratic-deep"; ConfigError for anything else.
LossKind parse_loss_kind(const std::string& name);
std::string to_string(LossKind loss);

struct NetworkConfig {
  std::size_t input_dim = 784;
  std::vector<std::size_t> hidden = {100, 100, 100, 100, 100};
  std::size_t num_classes = 10;
  Init init = Init::He;
  float weight_scale = 5e-2f;  // used by Init::Normal only
  float reg = 0.0f;            // L2 strength
  float dropout = 0.0f;        // probability of dropping a unit, in [0, 1); 0 is off
  bool batchnorm = false;
  // The network layer by layer (a conv net, say), the last layer giving
  // num_classes outputs; `hidden`, `dropout` and `batchnorm` are then unused
  // (dropout and batchnorm must stay off: put them in the list). Empty: the
  // fully connected network above. Layers whose init is WeightInit::network
  // take `init` and `weight_scale`.
  std::vector<LayerSpec> layers;
  // One input sample as an image (channels, height, width), stored NCHW, of
  // input_dim values in all; conv and pooling layers need it. Empty: a vector.
  ImageShape input_shape;
  // The loss; with quadratic_deep the last layer gives kQuadraticDim outputs
  // and num_classes is unused (the data's labels are all 0).
  LossKind loss = LossKind::softmax;

  // ConfigError naming the field, or the layer and its shapes, for any value
  // out of range or any layer that does not fit its input.
  void validate() const;
};

// The network's layers: config.layers, or those of the fully connected network.
std::vector<LayerSpec> network_layers(const NetworkConfig& config);
// The shape of one input sample: config.input_shape, or (input_dim, 1, 1).
ImageShape network_input_shape(const NetworkConfig& config);

class Network {
 public:
  // Builds the layers and initializes the parameters from `seed`.
  Network(const NetworkConfig& config, std::uint64_t seed);
  ~Network();
  Network(Network&&) noexcept;
  Network& operator=(Network&&) noexcept;

  const NetworkConfig& config() const { return config_; }
  ParamSet& params() { return params_; }
  const ParamSet& params() const { return params_; }
  // Batch norm's running mean and variance of every layer, flat.
  std::span<float> buffers();
  std::span<const float> buffers() const;

  // Training-mode forward and backward pass on a batch: writes the gradient of
  // the loss into params().grads() and returns the loss (data loss plus L2).
  // Dropout masks are drawn from `rng`; batch norm uses batch statistics and
  // updates its running statistics.
  float loss_and_grad(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y, Rng& rng);
  // The same with the distillation loss (distillation_loss.hpp) in place of
  // the softmax loss: the teacher's probabilities at the distillation's
  // temperature, (n, num_classes), beside the labels.
  float loss_and_grad(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                      const Eigen::Ref<const Matrix>& teacher_probabilities,
                      const Distillation& distillation, Rng& rng);

  // Test-mode forward pass: class scores (n, num_classes).
  const Matrix& scores(const Eigen::Ref<const Matrix>& x);

  // Test-mode mean loss (cross-entropy, or the quadratic's) and accuracy (0
  // without classes, as DeepOBS reports it) over a data set, in batches.
  struct Evaluation {
    double loss;
    double accuracy;
  };
  Evaluation evaluate(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                      std::size_t batch_size = 1000);

 private:
  // Backward pass from the scores' gradient (already in place), then L2;
  // returns data_loss plus the L2 term.
  float backward(const Eigen::Ref<const Matrix>& x, double data_loss);

  NetworkConfig config_;
  ParamSet params_;
  Sequential layers_;
};

}  // namespace descent

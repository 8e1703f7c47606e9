// A fully connected network, as in cs231n's FullyConnectedNet:
//   {affine - [batch norm] - relu - [dropout]} x (L - 1) - affine - softmax
// with L2 regularization 0.5 * reg * sum(W^2) over the weight matrices.
// With no hidden layer (L = 1) it is softmax regression: affine - softmax.
// Parameters and gradients live in one ParamSet; batch norm's running
// statistics live in a second flat buffer, buffers().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"
#include "descent/nn/distillation_loss.hpp"
#include "descent/nn/param_set.hpp"

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

struct NetworkConfig {
  std::size_t input_dim = 784;
  std::vector<std::size_t> hidden = {100, 100, 100, 100, 100};
  std::size_t num_classes = 10;
  Init init = Init::He;
  float weight_scale = 5e-2f;  // used by Init::Normal only
  float reg = 0.0f;            // L2 strength
  float dropout = 0.0f;        // probability of dropping a unit, in [0, 1); 0 is off
  bool batchnorm = false;

  // ConfigError naming the field for any value out of range.
  void validate() const;
};

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

  // Test-mode mean cross-entropy loss and accuracy over a data set, in batches.
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

  struct Layers;
  NetworkConfig config_;
  ParamSet params_;
  std::unique_ptr<Layers> layers_;
};

}  // namespace descent

// A network as a sequence of layers (layer_spec.hpp), run as stages: each
// stage is one layer that writes a new activation (dense, conv, max pool) and
// the in-place layers after it in the spec, in the order batch norm, relu,
// dropout. Flatten makes no stage: an activation (n, C*H*W) is already the
// flat (n, d) a dense layer takes.
//   forward   h_s = dropout(relu(bn(layer_s(h_{s-1}))))   with h_0 = x
//   backward  the same stages in reverse, from the gradient of the last h
// A relu straight after a dense or conv layer is fused into it (one pass over
// the output, forward and backward). Parameters are registered stage by stage
// (the layer's W and b, then batch norm's gamma and beta), and drawn in that
// order from one Rng at construction; batch norm's running statistics take
// consecutive slices of one buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"
#include "descent/nn/layer_spec.hpp"
#include "descent/nn/param_set.hpp"

namespace descent {

enum class Init;

// How the layers whose spec says WeightInit::network are initialized.
struct NetworkInit {
  Init init;
  float weight_scale;
};

class Sequential {
 public:
  // Registers every layer's parameters in `params` (layer_shapes() checks the
  // specs first). `input` is one sample's shape: (d, 1, 1) for flat data.
  // Dense layers k = 1, 2, ... name their parameters W{k} and b{k}, and a batch
  // norm after dense layer k gamma{k} and beta{k}; conv layer k conv{k}.W, conv{k}.b;
  // offset layer k theta{k}.
  Sequential(ParamSet& params, const ImageShape& input, const std::vector<LayerSpec>& layers);
  ~Sequential();
  Sequential(Sequential&&) noexcept;
  Sequential& operator=(Sequential&&) noexcept;

  // Draws every parameter from `rng` (after params.allocate()) and resets the
  // running statistics.
  void initialize(ParamSet& params, const NetworkInit& init, Rng& rng);

  // The running statistics of every batch norm, flat.
  std::span<float> buffers();
  std::span<const float> buffers() const;

  // The last stage's output (n, outputs). Training mode when `rng` is given:
  // batch norm uses batch statistics and updates its running ones, dropout
  // draws its masks from *rng. Test mode otherwise.
  const Matrix& forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Rng* rng);
  // The gradient of the output, to be filled before backward(): (n, outputs).
  Matrix& output_grad();
  // Writes every gradient tensor in `params` from output_grad() and the last
  // training-mode forward pass of x. The data's gradient is not computed.
  void backward(ParamSet& params, const Eigen::Ref<const Matrix>& x);

 private:
  struct Stage;
  std::vector<Stage> stages_;
  std::vector<float> buffers_;
};

}  // namespace descent

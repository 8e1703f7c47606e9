// Batch normalization of a batch x (n, d) over its rows, as cs231n's
// batchnorm_forward and batchnorm_backward_alt, in place:
//   training  mu = (1/n) sum_i x_i,  var = (1/n) sum_i (x_i - mu)^2  (biased)
//             x_hat = (x - mu) / sqrt(var + eps),  out = gamma * x_hat + beta
//             running_mean = 0.9 * running_mean + 0.1 * mu
//             running_var  = 0.9 * running_var  + 0.1 * var
//   test      out = gamma * (x - running_mean) / sqrt(running_var + eps) + beta
//   backward  dbeta = sum_i dout_i,  dgamma = sum_i dout_i * x_hat_i
//             dx = gamma / (n sqrt(var + eps)) * (n dout - dbeta - x_hat * dgamma)
// with eps = 1e-5. Conventions where peers differ: the momentum 0.9 is
// cs231n's, the weight of the old value (PyTorch's momentum=0.1); the running
// variance is updated with the biased batch variance (cs231n; PyTorch uses the
// unbiased one), and the running statistics start at mean 0 and variance 1
// (PyTorch; cs231n starts the variance at 0).
// gamma{index} (initialized to 1) and beta{index} (0), both (1, d), are
// ParamKind::Bias. The running statistics live in the network's flat buffer:
// mean at [offset, offset + d), variance at [offset + d, offset + 2d).
#pragma once

#include <cstddef>
#include <span>

#include "descent/core/matrix.hpp"
#include "descent/nn/param_set.hpp"

namespace descent {

class BatchNorm {
 public:
  static constexpr float kEps = 1e-5f;
  static constexpr float kMomentum = 0.9f;

  // Registers gamma{index} and beta{index}; the running statistics take
  // buffer_size() floats of the buffer from `buffer_offset`.
  BatchNorm(ParamSet& params, std::size_t index, std::size_t dim, std::size_t buffer_offset);

  std::size_t dim() const { return dim_; }
  std::size_t gamma_id() const { return gamma_; }
  std::size_t beta_id() const { return beta_; }
  std::size_t buffer_offset() const { return offset_; }
  std::size_t buffer_size() const { return 2 * dim_; }

  // gamma = 1 (beta stays 0), running mean = 0, running variance = 1.
  void initialize(ParamSet& params, std::span<float> buffers) const;

  void forward_train(const ParamSet& params, Matrix& x, std::span<float> buffers);
  void forward_test(const ParamSet& params, Matrix& x, std::span<const float> buffers);
  // dout becomes dx; writes dgamma and dbeta.
  void backward(ParamSet& params, Matrix& dout);

 private:
  std::size_t dim_;
  std::size_t offset_;
  std::size_t gamma_;
  std::size_t beta_;
  Matrix x_hat_;       // (n, d)
  RowVector mean_;     // (1, d)
  RowVector var_;      // (1, d)
  RowVector inv_std_;  // (1, d)  1 / sqrt(var + eps)
  RowVector scale_;    // (1, d)
  RowVector shift_;    // (1, d)
};

}  // namespace descent

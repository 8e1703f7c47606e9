// Fully connected layer, as cs231n's affine_forward / affine_backward:
//   out = x W + b   with x (n, in), W (in, out), b (1, out), out (n, out).
// The layer holds only the ids of W and b; their memory is the ParamSet's, so
// the layer stays valid when the ParamSet moves.
#pragma once

#include <cstddef>

#include "descent/core/matrix.hpp"
#include "descent/nn/param_set.hpp"

namespace descent {

class Affine {
 public:
  // Registers W{index} (in, out) as a Weight and b{index} (1, out) as a Bias.
  Affine(ParamSet& params, std::size_t index, std::size_t in, std::size_t out);

  std::size_t in_dim() const { return in_; }
  std::size_t out_dim() const { return out_; }
  std::size_t weight_id() const { return w_; }
  std::size_t bias_id() const { return b_; }

  // out = x W + b.
  void forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Matrix& out) const;
  // dW = x^T dout, db = sum over rows of dout, and dx = dout W^T when dx is
  // not null (the first layer's input is the data, whose gradient nobody needs).
  void backward(ParamSet& params, const Eigen::Ref<const Matrix>& x, const Matrix& dout,
                Matrix* dx) const;

  // cs231n's affine_relu sandwich with the elementwise work fused:
  //   h = max(0, x W + b)
  void forward_relu(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Matrix& h) const;
  // dz = dh where h > 0, else 0 (in place on dh), then backward(x, dz).
  // h may have been scaled after forward_relu by a nonnegative dropout mask:
  // where the mask is zero, dh is already zero.
  void backward_relu(ParamSet& params, const Eigen::Ref<const Matrix>& x, const Matrix& h,
                     Matrix& dh, Matrix* dx) const;

 private:
  void backward_products(ParamSet& params, const Eigen::Ref<const Matrix>& x, const Matrix& dout,
                         Matrix* dx) const;

  std::size_t in_;
  std::size_t out_;
  std::size_t w_;
  std::size_t b_;
};

}  // namespace descent

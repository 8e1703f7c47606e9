// A trainable point that every sample is measured from, the parameter of
// DeepOBS's noisy quadratic (net_quadratic_deep):
//   out = theta - x   with x (n, d), theta (1, d), out (n, d)
//   dtheta = sum over rows of dout,   dx = -dout
// theta starts at one constant (LayerSpec::bias_init; 1 for the quadratic).
#pragma once

#include <cstddef>

#include "descent/core/matrix.hpp"
#include "descent/nn/param_set.hpp"

namespace descent {

class Offset {
 public:
  // Registers theta{index} (1, dim) as a Bias: L2 does not apply to it.
  Offset(ParamSet& params, std::size_t index, std::size_t dim);

  std::size_t dim() const { return dim_; }
  std::size_t theta_id() const { return theta_; }

  void forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Matrix& out) const;
  // dx when it is not null (the first layer's input is the data).
  void backward(ParamSet& params, const Matrix& dout, Matrix* dx) const;

 private:
  std::size_t dim_;
  std::size_t theta_;
};

}  // namespace descent

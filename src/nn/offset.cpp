// The offset layer: out = theta - x.
#include "descent/nn/offset.hpp"

#include <string>

namespace descent {

Offset::Offset(ParamSet& params, std::size_t index, std::size_t dim)
    : dim_(dim), theta_(params.add("theta" + std::to_string(index), 1, dim, ParamKind::Bias)) {}

void Offset::forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Matrix& out) const {
  const ConstMatrixMap theta = params.value(theta_);
  out.resize(x.rows(), x.cols());
  out = (-x).rowwise() + theta.row(0);
}

void Offset::backward(ParamSet& params, const Matrix& dout, Matrix* dx) const {
  params.grad(theta_) = dout.colwise().sum();
  if (dx != nullptr) *dx = -dout;
}

}  // namespace descent

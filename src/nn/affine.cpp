// Fully connected layer; the matrix products go to BLAS through Eigen.
#include "descent/nn/affine.hpp"

#include <string>
#include <utility>

namespace descent {

Affine::Affine(ParamSet& params, std::size_t index, std::size_t in, std::size_t out)
    : in_(in),
      out_(out),
      w_(params.add("W" + std::to_string(index), in, out, ParamKind::Weight)),
      b_(params.add("b" + std::to_string(index), 1, out, ParamKind::Bias)) {}

// out = x W + b
void Affine::forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Matrix& out) const {
  const ConstMatrixMap w = params.value(w_);  // (in, out)
  const ConstMatrixMap b = params.value(b_);  // (1, out)
  out.resize(x.rows(), w.cols());             // (n, out)
  out.noalias() = x * w;
  out.rowwise() += b.row(0);
}

// h = max(0, x W + b), the bias and the max in one pass over h.
void Affine::forward_relu(const ParamSet& params, const Eigen::Ref<const Matrix>& x,
                          Matrix& h) const {
  const ConstMatrixMap w = params.value(w_);  // (in, out)
  const ConstMatrixMap b = params.value(b_);  // (1, out)
  h.resize(x.rows(), w.cols());               // (n, out)
  h.noalias() = x * w;
  for (Eigen::Index i = 0; i < h.rows(); ++i) h.row(i) = (h.row(i) + b.row(0)).cwiseMax(0.0f);
}

// dW = x^T dout, db = sum_i dout_i, dx = dout W^T
void Affine::backward(ParamSet& params, const Eigen::Ref<const Matrix>& x, const Matrix& dout,
                      Matrix* dx) const {
  MatrixMap db = params.grad(b_);  // (1, out)
  db = dout.colwise().sum();
  backward_products(params, x, dout, dx);
}

// dz = dh * [h > 0], db = sum_i dz_i in one pass over dz; then as backward.
void Affine::backward_relu(ParamSet& params, const Eigen::Ref<const Matrix>& x, const Matrix& h,
                           Matrix& dh, Matrix* dx) const {
  MatrixMap db = params.grad(b_);  // (1, out)
  db.setZero();
  const Eigen::Index cols = dh.cols();
  for (Eigen::Index i = 0; i < dh.rows(); ++i) {
    float* dz = dh.row(i).data();
    const float* hi = h.row(i).data();
    float* dbi = db.data();
    for (Eigen::Index j = 0; j < cols; ++j) {
      dz[j] = hi[j] > 0.0f ? dz[j] : 0.0f;
      dbi[j] += dz[j];
    }
  }
  backward_products(params, x, dh, dx);
}

void Affine::backward_products(ParamSet& params, const Eigen::Ref<const Matrix>& x,
                               const Matrix& dout, Matrix* dx) const {
  MatrixMap dw = params.grad(w_);  // (in, out)
  dw.noalias() = x.transpose() * dout;
  if (dx != nullptr) {
    const ConstMatrixMap w = std::as_const(params).value(w_);
    dx->resize(dout.rows(), w.rows());  // (n, in)
    dx->noalias() = dout * w.transpose();
  }
}

}  // namespace descent

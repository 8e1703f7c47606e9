// The noisy quadratic's Hessian and loss.
#include "descent/nn/quadratic_loss.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <numbers>

#include "descent/core/error.hpp"
#include "descent/core/numpy_random.hpp"

namespace descent {

namespace {

using MatrixXd = Eigen::MatrixXd;
using VectorXd = Eigen::VectorXd;

// The subgroup algorithm, from SO(2) up to SO(dim), drawing from `rng`.
MatrixXd random_rotation(std::size_t dim, NumpyRandomState& rng) {
  const double t = 2.0 * std::numbers::pi * rng.uniform(0.0, 1.0);
  MatrixXd rotation(2, 2);
  rotation << std::cos(t), std::sin(t), -std::sin(t), std::cos(t);
  for (Eigen::Index d = 2; d < static_cast<Eigen::Index>(dim); ++d) {
    VectorXd v(d + 1);
    for (Eigen::Index i = 0; i <= d; ++i) v(i) = rng.standard_normal();
    v /= std::sqrt(v.dot(v));
    VectorXd x = -v;
    x(0) += 1.0;  // e_1 - v
    x /= std::sqrt(x.dot(x));
    MatrixXd embedded = MatrixXd::Zero(d + 1, d + 1);
    embedded(0, 0) = 1.0;
    embedded.bottomRightCorner(d, d) = rotation;
    // R_{d+1} = D_d - 2 x (x^T D_d)
    const Eigen::RowVectorXd xt_embedded = x.transpose() * embedded;
    rotation = embedded - 2.0 * x * xt_embedded;
  }
  return -rotation;
}

Matrix make_hessian() {
  NumpyRandomState rng(42);
  VectorXd eigenvalues(kQuadraticDim);
  for (std::size_t i = 0; i < 90; ++i)
    eigenvalues(static_cast<Eigen::Index>(i)) = rng.uniform(0.0, 1.0);
  for (std::size_t i = 90; i < kQuadraticDim; ++i) {
    eigenvalues(static_cast<Eigen::Index>(i)) = rng.uniform(30.0, 60.0);
  }
  const MatrixXd rotation = random_rotation(kQuadraticDim, rng);
  const MatrixXd hessian = rotation.transpose() * (eigenvalues.asDiagonal() * rotation);
  return hessian.cast<float>();
}

void check_dims(const Eigen::Ref<const Matrix>& q, const Matrix& hessian, const char* what) {
  if (q.cols() != hessian.rows() || hessian.rows() != hessian.cols()) {
    throw ShapeError(std::string(what) + ": outputs of " + std::to_string(q.cols()) +
                     " values for a " + std::to_string(hessian.rows()) + "x" +
                     std::to_string(hessian.cols()) + " Hessian");
  }
}

}  // namespace

const Matrix& deep_learning_hessian() {
  static const Matrix hessian = make_hessian();
  return hessian;
}

double quadratic_loss(const Eigen::Ref<const Matrix>& q, const Matrix& hessian, Matrix& dq) {
  check_dims(q, hessian, "quadratic_loss");
  // dq = Q q_i / n row by row: q Q (Q = Q^T); loss_i = 0.5 q_i . (Q q_i).
  dq.noalias() = q * hessian;
  double sum = 0.0;
  for (Eigen::Index i = 0; i < q.rows(); ++i) {
    sum += 0.5 * static_cast<double>(q.row(i).dot(dq.row(i)));
  }
  const auto n = static_cast<double>(q.rows());
  dq *= static_cast<float>(1.0 / n);
  return sum / n;
}

double quadratic_loss_sum(const Eigen::Ref<const Matrix>& q, const Matrix& hessian) {
  check_dims(q, hessian, "quadratic_loss_sum");
  const Matrix hq = q * hessian;
  double sum = 0.0;
  for (Eigen::Index i = 0; i < q.rows(); ++i) {
    sum += 0.5 * static_cast<double>(q.row(i).dot(hq.row(i)));
  }
  return sum;
}

}  // namespace descent

// SFO's shared subspace (sfo.hpp): P, an orthonormal basis of K_max or fewer
// columns, holds every model, so that nothing per subfunction has length M.
// Each evaluation adds its gradient's new direction (sfo_subspace_growth.cpp);
// when P is full it collapses to K_min directions, those the models need at
// the current point.
#include <algorithm>
#include <cmath>

#include "descent/optim/sfo.hpp"
#include "descent/optim/thin_q.hpp"

namespace descent {

namespace {

constexpr double kEps = 1e-12;  // sfo.py l.119

}  // namespace

// sfo.py collapse_subspace (l.389-427): the new basis spans what the models
// need at the current point, the last gradient and position of every active
// subfunction, the new gradient and the current point,
//   Y = [grad f_i(x_i), x_i for active i, g_new, x],   (K_max, <= K_min)
// padded with Gaussian columns up to K_min when fewer than N are active;
// P_l = Q of Y's QR (K_max, K_min), P := P P_l, and every stored coordinate
// vector v := P_l'v. Y has zero rows past the coordinates in use, and so has
// P_l, so P keeps orthonormal columns.
void Sfo::collapse(const Eigen::Ref<const Eigen::VectorXd>& new_direction) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_max);
  const auto used = static_cast<Eigen::Index>(s.k_used);
  const auto k_min = static_cast<Eigen::Index>(s.k_min);
  Eigen::Index col = 0;
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.active[i]) w.directions.col(col++) = s.last_grad.col(static_cast<Eigen::Index>(i));
  }
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.active[i]) w.directions.col(col++) = s.last_x.col(static_cast<Eigen::Index>(i));
  }
  w.directions.col(col++) = new_direction;
  project(s.x, w.directions.col(col++));
  for (; col < k_min; ++col) {
    w.directions.col(col).setZero();
    for (Eigen::Index r = 0; r < used; ++r) w.directions(r, col) = s.rng.normal();
  }
  thin_q(w.directions, w.rotation, w.householder.data());

  // P := P P_l, a block of rows at a time, in place.
  const auto block = w.row_block.rows();
  for (Eigen::Index r = 0; r < s.basis.rows(); r += block) {
    const Eigen::Index rows = std::min(block, s.basis.rows() - r);
    w.row_block.topRows(rows).leftCols(k_min).noalias() = s.basis.middleRows(r, rows) * w.rotation;
    s.basis.block(r, 0, rows, k_min) = w.row_block.topRows(rows).leftCols(k_min);
    s.basis.block(r, k_min, rows, k - k_min).setZero();
  }
  change_basis(s.k_used, s.k_min);
  ++s.collapses;
  reorthogonalize();
}

// Public: a collapse with a random direction (in the coordinates in use) in
// place of a new gradient, as sfo.py's collapse_subspace(xl=None). Nothing
// to do when P = I or holds no more than K_min columns.
void Sfo::collapse_subspace() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  if (s.full_space || s.k_used <= s.k_min) return;
  w.coeffs.setZero();
  for (std::size_t r = 0; r < s.k_used; ++r)
    w.coeffs[static_cast<Eigen::Index>(r)] = s.rng.normal();
  collapse(w.coeffs);
}

// sfo.py reorthogonalize_subspace (l.370-386): if P'P's largest eigenvalue
// exceeds 1 + eps, P is orthonormalized again. Here by a Cholesky QR,
//   P'P = R'R,  P := P R^-1,  coordinates v := R v   (P_l' = R),
// which needs no second copy of P; P'P is within 1e-12 of I, so R is
// well conditioned. The eigenvalues are computed only when Gershgorin's
// bound (the largest row sum of |P'P|) exceeds 1 + eps.
void Sfo::reorthogonalize() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  auto gram = w.symmetric.topLeftCorner(k, k);
  gram.noalias() = s.basis.leftCols(k).transpose() * s.basis.leftCols(k);
  if (gram.cwiseAbs().rowwise().sum().maxCoeff() <= 1 + kEps) return;
  w.symmetric.rightCols(w.symmetric.cols() - k).setZero();
  w.symmetric.bottomLeftCorner(w.symmetric.rows() - k, k).setZero();
  w.total_eigen.compute(w.symmetric, Eigen::EigenvaluesOnly);
  if (w.total_eigen.eigenvalues().maxCoeff() <= 1 + kEps) return;
  Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> cholesky(gram);
  if (cholesky.info() != Eigen::Success) return;  // P'P is not positive definite: keep P
  cholesky.matrixU().solveInPlace<Eigen::OnTheRight>(s.basis.leftCols(k));
  w.rotation.topLeftCorner(k, k) = cholesky.matrixL();
  change_basis(s.k_used, s.k_used);
}

// sfo.py apply_subspace_transformation (l.330-367): every stored coordinate
// vector v (old_dim coordinates) becomes P_l'v (new_dim), P_l the top-left
// (old_dim, new_dim) block of w.rotation; x_proj and full_H are recomputed
// rather than mapped, so that errors do not accumulate.
void Sfo::change_basis(std::size_t old_dim, std::size_t new_dim) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto from = static_cast<Eigen::Index>(old_dim);
  const auto to = static_cast<Eigen::Index>(new_dim);
  const auto k = static_cast<Eigen::Index>(s.k_max);
  const auto rotation = w.rotation.topLeftCorner(from, to);
  const auto block = w.column_block.cols();
  for (Eigen::MatrixXd* m : {&s.last_x, &s.last_grad, &s.delta_x, &s.delta_grad, &s.factor}) {
    for (Eigen::Index c = 0; c < m->cols(); c += block) {
      const Eigen::Index cols = std::min(block, m->cols() - c);
      w.column_block.topLeftCorner(to, cols).noalias() =
          rotation.transpose() * m->block(0, c, from, cols);
      m->block(0, c, to, cols) = w.column_block.topLeftCorner(to, cols);
      m->block(to, c, k - to, cols).setZero();
    }
  }
  s.k_used = new_dim;
  project(s.x, s.x_proj);
  recompute_hessian_sum();
}

// full_H = sum_i B_i diag(sign_i) B_i' (sfo.py l.367).
void Sfo::recompute_hessian_sum() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  s.hessian_sum.setZero();
  for (std::size_t i = 0; i < s.count; ++i) {
    const auto cols = static_cast<Eigen::Index>(s.factor_cols[i]);
    if (cols == 0) continue;
    const auto first = static_cast<Eigen::Index>(2 * s.history * i);
    const auto b = s.factor.block(0, first, k, cols);
    auto scaled = w.factor_change_scaled.topLeftCorner(k, cols);
    for (Eigen::Index c = 0; c < cols; ++c) {
      scaled.col(c) = s.sign[static_cast<std::size_t>(first + c)] * b.col(c);
    }
    s.hessian_sum.topLeftCorner(k, k).noalias() += scaled * b.transpose();
  }
}

}  // namespace descent

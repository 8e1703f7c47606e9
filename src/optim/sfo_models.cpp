// SFO's per-subfunction quadratic models (sfo.hpp): each subfunction's own
// history of (s, y) pairs, and its Hessian H_i rebuilt from them by BFGS in
// the span of that history, then forced positive definite.
#include <algorithm>
#include <cmath>

#include "descent/optim/sfo.hpp"
#include "descent/optim/thin_q.hpp"

namespace descent {

namespace {

constexpr double kEps = 1e-12;  // sfo.py l.119
// numpy.linalg.pinv's rcond: singular values below 1e-15 times the largest count as 0.
constexpr double kPinvCutoff = 1e-15;

// numpy.median of values sorted ascending.
double sorted_median(const double* values, Eigen::Index n) {
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

// sfo.py update_history (l.502-545): from j's second evaluation on, the pair
//   s = x - x_j,  y = grad f_j(x) - grad f_j(x_j)   (in the subspace)
// is pushed in front of j's history (the oldest of L dropped) unless |s|,
// |y| or corr(s, y) = s'y / (|s||y|) is below eps. Pairs with s'y < 0 are kept:
// BFGS takes them with their sign. Then x_j, grad f_j(x_j), f_j(x_j) := the
// new ones.
void Sfo::push_history(std::size_t j, const Eigen::Ref<const Eigen::VectorXd>& at, double f,
                       const Eigen::Ref<const Eigen::VectorXd>& grad_proj) {
  SfoState& s = state_;
  const auto col = static_cast<Eigen::Index>(j);
  if (s.evals[j] > 1) {
    const auto ds = at - s.last_x.col(col);
    const auto dy = grad_proj - s.last_grad.col(col);
    const double length_s = ds.norm(), length_y = dy.norm();
    const double correlation = dy.dot(ds) / (length_s * length_y);
    if (length_s >= kEps && length_y >= kEps && std::abs(correlation) >= kEps) {
      const auto first = col * static_cast<Eigen::Index>(s.history);
      const auto stored =
          static_cast<Eigen::Index>(std::min<std::size_t>(s.pairs[j], s.history - 1));
      for (Eigen::Index h = stored; h > 0; --h) {
        s.delta_x.col(first + h) = s.delta_x.col(first + h - 1);
        s.delta_grad.col(first + h) = s.delta_grad.col(first + h - 1);
      }
      s.delta_x.col(first) = ds;
      s.delta_grad.col(first) = dy;
      s.pairs[j] = static_cast<std::uint32_t>(std::min<std::size_t>(s.pairs[j] + 1, s.history));
    }
  }
  s.last_x.col(col) = at;
  s.last_grad.col(col) = grad_proj;
  s.last_f[col] = f;
}

// sfo.py update_hessian (l.548-666) for subfunction j, and the change of
// full_H it makes (l.1057-1064): full_H += B_j,new S B_j,new' - B_j,old S B_j,old'.
// With no pair yet, H_j = lambda_j I with lambda_j the median eigenvalue of
// the total Hessian over the number of active subfunctions; if j has more
// than two evaluations and fewer than 5 were made in all, a tenth of that
// (steps too short to give pairs: hessian_init was too large).
void Sfo::update_hessian(std::size_t j) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  const auto first = static_cast<Eigen::Index>(2 * s.history * j);
  const auto width = static_cast<Eigen::Index>(2 * s.history);
  const auto old_cols = static_cast<Eigen::Index>(s.factor_cols[j]);
  w.old_factor.topLeftCorner(k, old_cols) = s.factor.block(0, first, k, old_cols);
  w.old_signs.resize(old_cols);
  for (Eigen::Index c = 0; c < old_cols; ++c) {
    w.old_signs[c] = s.sign[static_cast<std::size_t>(first + c)];
  }

  const auto col = static_cast<Eigen::Index>(j);
  if (s.pairs[j] == 0) {
    s.factor.middleCols(first, width).setZero();
    s.factor_cols[j] = 0;
    const double lambda = median_total_eigenvalue() / static_cast<double>(active_subfunctions());
    s.min_eig[col] = lambda;
    s.max_eig[col] = lambda;
    std::uint64_t evaluations = 0;
    for (const std::uint64_t e : s.evals) evaluations += e;
    if (s.evals[j] > 2 && evaluations < 5) s.min_eig[col] /= 10;
  } else {
    hessian_from_history(j, s.pairs[j]);
  }

  const auto new_cols = static_cast<Eigen::Index>(s.factor_cols[j]);
  if (new_cols + old_cols == 0) return;
  auto change = w.factor_change.topLeftCorner(k, new_cols + old_cols);
  auto scaled = w.factor_change_scaled.topLeftCorner(k, new_cols + old_cols);
  change.leftCols(new_cols) = s.factor.block(0, first, k, new_cols);
  change.rightCols(old_cols) = w.old_factor.topLeftCorner(k, old_cols);
  for (Eigen::Index c = 0; c < new_cols; ++c) {
    scaled.col(c) = s.sign[static_cast<std::size_t>(first + c)] * change.col(c);
  }
  for (Eigen::Index c = 0; c < old_cols; ++c) {
    scaled.col(new_cols + c) = -w.old_signs[c] * change.col(new_cols + c);
  }
  s.hessian_sum.topLeftCorner(k, k).noalias() += scaled * change.transpose();
}

// median(eig(full_H + I sum_active lambda_i)) over all K_max coordinates, the
// unused ones included, as sfo.py's get_full_H_with_diagonal gives them.
double Sfo::median_total_eigenvalue() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  w.symmetric = s.hessian_sum;
  w.symmetric.diagonal().array() += diagonal_sum();
  w.total_eigen.compute(w.symmetric, Eigen::EigenvaluesOnly);
  const auto& values = w.total_eigen.eigenvalues();
  return sorted_median(values.data(), values.size());
}

// H_j from j's g pairs (l.573-642), in Q, an orthonormal basis of the span of
// [S Y] (Householder QR; r = min(K, 2g) columns), with s, y := Q's, Q'y:
// 1. The curvatures the history sees, sqrt(eig(D'D)) with D = (Q'Y) pinv(Q'S)
//    (so that y = D s): the largest g are kept; lambda_j, the diagonal term
//    outside the history's span and BFGS's starting matrix B_0 = lambda_j I,
//    is the smallest, but at least the largest / hess_max_dev. A zero or
//    non-finite one (degenerate differences) gives every one the largest
//    lambda_i of the active subfunctions.
// 2. BFGS from the oldest pair to the newest, each with s, y divided by |s|:
//      B <- B + y y' / (y's) - (B s)(B s)' / (s'B s)
//    kept as factor columns y / sqrt|y's| and Bs / sqrt|s'Bs| with signs
//    sign(y's) and -sign(s'Bs), so a pair with y's < 0 updates B with its sign
//    (sfo.py's complex columns). 'rank1' (SR1): the column (y - Bs) /
//    sqrt|s'(y - Bs)| with the sign of s'(y - Bs). A column that would divide
//    by zero is skipped and lambda_j set to the largest curvature.
void Sfo::hessian_from_history(std::size_t j, std::size_t pairs) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  const auto g = static_cast<Eigen::Index>(pairs);
  const auto r = std::min(k, 2 * g);
  const auto first_pair = static_cast<Eigen::Index>(j * s.history);
  const auto col = static_cast<Eigen::Index>(j);
  auto sy = w.history_basis.topLeftCorner(k, 2 * g);
  sy.leftCols(g) = s.delta_x.block(0, first_pair, k, g);
  sy.rightCols(g) = s.delta_grad.block(0, first_pair, k, g);
  auto q = w.history_q.topLeftCorner(k, r);
  thin_q(sy, q, w.householder.data());
  w.s_proj.resize(r, g);
  w.y_proj.resize(r, g);
  w.s_proj.noalias() = q.transpose() * s.delta_x.block(0, first_pair, k, g);
  w.y_proj.noalias() = q.transpose() * s.delta_grad.block(0, first_pair, k, g);

  // 1. pinv(Q'S) = V diag(1 / sigma) U' over the singular values above the cutoff.
  w.svd.compute(w.s_proj, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const auto& sigma = w.svd.singularValues();
  w.column.resize(sigma.size());
  const double cutoff = kPinvCutoff * (sigma.size() > 0 ? sigma.maxCoeff() : 0.0);
  Eigen::Index rank = 0;
  for (Eigen::Index i = 0; i < sigma.size(); ++i) {
    w.column[i] = sigma[i] > cutoff ? 1 / sigma[i] : 0;
    rank += sigma[i] > cutoff ? 1 : 0;
  }
  w.pinv_s.resize(g, r);
  w.pinv_s.noalias() = w.svd.matrixV() * w.column.asDiagonal() * w.svd.matrixU().transpose();
  w.dd.resize(r, r);
  w.dd.noalias() = w.y_proj * w.pinv_s;
  w.small.resize(r, r);
  w.small.noalias() = w.dd.transpose() * w.dd;
  w.small_eigen.compute(w.small, Eigen::EigenvaluesOnly);
  w.eigenvalues = w.small_eigen.eigenvalues().cwiseAbs().cwiseSqrt();
  std::sort(w.eigenvalues.data(), w.eigenvalues.data() + w.eigenvalues.size());
  auto curvatures = w.eigenvalues.tail(std::min(g, r));
  // D'D has rank at most rank(Q'S): with fewer than g independent steps
  // (the newest coordinate of the subspace is 0 in every s, for one), the g
  // largest include a zero, which sfo.py's LAPACK computes as exactly 0.
  if (rank < g || curvatures.minCoeff() == 0 || !curvatures.allFinite()) {
    double largest = 0;
    for (std::size_t i = 0; i < s.count; ++i) {
      if (s.active[i]) largest = std::max(largest, s.min_eig[static_cast<Eigen::Index>(i)]);
    }
    curvatures.setConstant(largest);
  }
  s.min_eig[col] = curvatures.minCoeff();
  s.max_eig[col] = curvatures.maxCoeff();
  s.min_eig[col] = std::max(s.min_eig[col], s.max_eig[col] / config_.max_hessian_deviation);

  // 2. BFGS (or SR1) in Q's coordinates.
  const bool bfgs = config_.hessian_update == SfoHessianUpdate::bfgs;
  w.bfgs.setZero(r, 2 * g);
  w.signs.setOnes(2 * g);
  w.hs.resize(r);
  for (Eigen::Index h = g - 1; h >= 0; --h) {
    const double scale = w.s_proj.col(h).norm();
    w.s = w.s_proj.col(h) / scale;
    w.y = w.y_proj.col(h) / scale;
    w.column.noalias() = w.bfgs.transpose() * w.s;
    w.column.array() *= w.signs.array();
    w.hs.noalias() = w.bfgs * w.column;
    w.hs += s.min_eig[col] * w.s;
    if (bfgs) {
      const double ys = w.y.dot(w.s), shs = w.s.dot(w.hs);
      if (ys == 0 || shs == 0 || !std::isfinite(ys) || !std::isfinite(shs) || !w.y.allFinite() ||
          !w.hs.allFinite()) {
        s.min_eig[col] = curvatures.maxCoeff();
        continue;
      }
      w.bfgs.col(2 * h + 1) = w.y / std::sqrt(std::abs(ys));
      w.signs[2 * h + 1] = ys > 0 ? 1 : -1;
      w.bfgs.col(2 * h) = w.hs / std::sqrt(std::abs(shs));
      w.signs[2 * h] = shs > 0 ? -1 : 1;
    } else {
      w.y -= w.hs;  // y - Bs
      const double sd = w.s.dot(w.y);
      if (sd == 0 || !std::isfinite(sd) || !w.y.allFinite()) continue;
      w.bfgs.col(h) = w.y / std::sqrt(std::abs(sd));
      w.signs[h] = sd > 0 ? 1 : -1;
    }
  }
  make_positive_definite(j, r, std::min(static_cast<Eigen::Index>(s.k_max), 2 * g) - r);
}

// sfo.py l.644-666: H = B diag(sign) B' + lambda_j I in the history's span
// (r x r) has its eigenvalues U made positive: if none is, all := the largest
// curvature; those below max|U| / hess_max_dev := the median of the positive
// ones. Then H - lambda_j I = V diag(U') V' gives B_j = Q V sqrt|U'| with the
// signs of U', so that H_j = B_j diag(sign) B_j' + lambda_j I on the whole
// subspace, with curvature lambda_j outside the history's span.
// sfo.py works on all K_max coordinates, so its span has min(K_max, 2g)
// dimensions where ours has r = min(K, 2g) (K the coordinates in use): the
// `unused` others are coordinates where every s and y is 0, and H has the
// eigenvalue lambda_j there. They count in the median and the maximum.
void Sfo::make_positive_definite(std::size_t j, Eigen::Index r, Eigen::Index unused) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto col = static_cast<Eigen::Index>(j);
  const double lambda = s.min_eig[col];
  w.small.noalias() = w.bfgs * w.signs.asDiagonal() * w.bfgs.transpose();
  w.small.diagonal().array() += lambda;
  w.small_eigen.compute(w.small, Eigen::ComputeEigenvectors);
  w.eigenvalues = w.small_eigen.eigenvalues();
  auto& u = w.eigenvalues;
  if (unused == 0 && u.maxCoeff() <= 0) u.setConstant(s.max_eig[col]);
  // All eigenvalues, the unused coordinates' included, ascending.
  auto& all = w.spectrum;
  all.resize(r + unused);
  Eigen::Index n = 0, i = 0;
  for (; i < r && u[i] < lambda; ++i) all[n++] = u[i];
  for (Eigen::Index c = 0; c < unused; ++c) all[n++] = lambda;
  for (; i < r; ++i) all[n++] = u[i];
  Eigen::Index first_positive = 0;
  while (first_positive < n && !(all[first_positive] > 0)) ++first_positive;
  if (first_positive < n) {
    const double median = sorted_median(all.data() + first_positive, n - first_positive);
    const double floor = all.cwiseAbs().maxCoeff() / config_.max_hessian_deviation;
    for (Eigen::Index c = 0; c < r; ++c) {
      if (u[c] < floor) u[c] = median;
    }
  }
  w.small.noalias() =
      w.small_eigen.eigenvectors() * u.asDiagonal() * w.small_eigen.eigenvectors().transpose();
  w.small.diagonal().array() -= lambda;
  w.small_eigen.compute(w.small, Eigen::ComputeEigenvectors);
  const auto& shifted = w.small_eigen.eigenvalues();
  w.dd.noalias() = w.small_eigen.eigenvectors() * shifted.cwiseAbs().cwiseSqrt().asDiagonal();

  const auto k = static_cast<Eigen::Index>(s.k_used);
  const auto first = static_cast<Eigen::Index>(2 * s.history * j);
  s.factor.middleCols(first, static_cast<Eigen::Index>(2 * s.history)).setZero();
  s.factor.block(0, first, k, r).noalias() = w.history_q.topLeftCorner(k, r) * w.dd;
  for (Eigen::Index c = 0; c < r; ++c) {
    s.sign[static_cast<std::size_t>(first + c)] = shifted[c] < 0 ? -1 : 1;
  }
  s.factor_cols[j] = static_cast<std::uint32_t>(r);
}

}  // namespace descent

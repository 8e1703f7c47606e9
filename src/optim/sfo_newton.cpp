// SFO's step on the sum of the models (sfo.py l.1066-1111), and the growth of
// the active set (expand_active_subfunctions, l.993-1021).
#include <algorithm>
#include <cmath>

#include "descent/optim/sfo.hpp"

namespace descent {

namespace {

constexpr double kEps = 1e-12;  // sfo.py l.119

}  // namespace

// sum_active lambda_i: the diagonal term of H = full_H + I sum_active lambda_i.
double Sfo::diagonal_sum() const {
  const SfoState& s = state_;
  double sum = 0;
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.active[i]) sum += s.min_eig[static_cast<Eigen::Index>(i)];
  }
  return sum;
}

// grad G(x) = sum_i [grad f_i(x_i) + H_i (x - x_i)] into w.model_grad, over
// the active subfunctions (the others have no model yet).
void Sfo::model_gradient_in_subspace() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  auto grad = w.model_grad.head(k);
  auto diff = w.scratch.head(k);
  grad.setZero();
  for (std::size_t i = 0; i < s.count; ++i) {
    if (!s.active[i]) continue;
    const auto col = static_cast<Eigen::Index>(i);
    diff = s.x_proj.head(k) - s.last_x.col(col).head(k);
    grad += s.last_grad.col(col).head(k) + s.min_eig[col] * diff;
    const auto cols = static_cast<Eigen::Index>(s.factor_cols[i]);
    if (cols == 0) continue;
    const auto first = static_cast<Eigen::Index>(2 * s.history * i);
    const auto b = s.factor.block(0, first, k, cols);
    w.column.resize(cols);
    w.column.noalias() = b.transpose() * diff;
    for (Eigen::Index c = 0; c < cols; ++c)
      w.column[c] *= s.sign[static_cast<std::size_t>(first + c)];
    grad.noalias() += b * w.column;
  }
}

// The Cholesky factor of H = full_H + I sum_active lambda_i into
// w.factorized. Each H_i is positive definite, so H is; should rounding in
// full_H (updated by differences) spoil that, full_H is recomputed from the
// factors, and failing that H's diagonal stands in for H. Returns false then.
bool Sfo::factorize_total_hessian() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  const double diagonal = diagonal_sum();
  auto h = w.factorized.topLeftCorner(k, k);
  for (int attempt = 0; attempt < 2; ++attempt) {
    h = s.hessian_sum.topLeftCorner(k, k);
    h.diagonal().array() += diagonal;
    Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> cholesky(h);
    if (cholesky.info() == Eigen::Success) return true;
    recompute_hessian_sum();
  }
  w.scratch.head(k) = s.hessian_sum.diagonal().head(k).array() + diagonal;
  h.setZero();
  h.diagonal() = w.scratch.head(k).cwiseMax(kEps).cwiseSqrt();
  return false;
}

// The Newton step on G (l.1074-1108):
//   d = -step_scale H^-1 grad G(x)      (by H's Cholesky factor)
// lengthened to minimum_step_length when shorter, and once more than N
// evaluations were made, shortened to max_step_length_ratio times the
// average step length so far. Where sfo.py divides by zero we do not: a zero
// d (a zero model gradient) stays zero, and while x has not moved at all
// there is no average length to cap the step with.
//   x_prior := x;  x := x + P d;  predicted_improvement := 1/2 d'Hd
void Sfo::newton_step() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  model_gradient_in_subspace();
  factorize_total_hessian();
  auto d = w.step.head(k);
  d = w.model_grad.head(k);
  const auto factor = w.factorized.topLeftCorner(k, k);
  factor.triangularView<Eigen::Lower>().solveInPlace(d);
  factor.triangularView<Eigen::Lower>().transpose().solveInPlace(d);
  d *= -s.step_scale;

  double length = d.norm();
  if (length > 0 && length < config_.minimum_step_length) {
    d *= config_.minimum_step_length / length;
    length = config_.minimum_step_length;
  }
  if (s.total_evals > s.count && length > kEps && s.total_distance > 0) {
    const double average = s.total_distance / static_cast<double>(s.total_evals);
    const double ratio = length / average;
    if (ratio > config_.max_step_length_ratio) d /= ratio / config_.max_step_length_ratio;
  }

  s.x_prior = s.x;
  move_x(w.step);
  s.x_proj.head(k) += d;
  // 1/2 d'Hd, H = full_H + I sum_active lambda_i.
  auto hd = w.scratch.head(k);
  hd.noalias() = s.hessian_sum.topLeftCorner(k, k) * d;
  s.predicted_improvement = 0.5 * (d.dot(hd) + diagonal_sum() * d.squaredNorm());
}

// l.993-1021: one more subfunction, chosen at random among the inactive ones,
// becomes active when every active one has been evaluated twice and
//   - the standard error of the mean gradient is at least max_gradient_noise
//     times the mean gradient, both measured in H^-1:
//       sum_i (g_i - gbar)' H^-1 (g_i - gbar) / n / (n - 1) >= max_gradient_noise gbar' H^-1 gbar
//     (g_i the active subfunctions' last gradients, n of them; with n = 1
//     the standard error is undefined and the test fails, as sfo.py's 0/0);
//   - or the step was rejected;
//   - or more than n steps went by since the set last grew.
void Sfo::grow_active_set(bool rejected) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const std::size_t n = active_subfunctions();
  bool eligible = n < s.count;
  for (std::size_t i = 0; i < s.count && eligible; ++i) {
    if (s.active[i] && s.evals[i] < 2) eligible = false;
  }
  bool desirable = rejected || s.since_growth > n;
  if (eligible && !desirable && n >= 2) {
    const auto k = static_cast<Eigen::Index>(s.k_used);
    auto mean = w.diffs.col(0).head(k);
    mean.setZero();
    for (std::size_t i = 0; i < s.count; ++i) {
      if (s.active[i]) mean += s.last_grad.col(static_cast<Eigen::Index>(i)).head(k);
    }
    mean /= static_cast<double>(n);
    Eigen::Index c = 1;
    for (std::size_t i = 0; i < s.count; ++i) {
      if (s.active[i])
        w.diffs.col(c++).head(k) = s.last_grad.col(static_cast<Eigen::Index>(i)).head(k) - mean;
    }
    // x' H^-1 x = |L^-1 x|^2 with H = L L', the step's factorization.
    auto solved = w.diffs.topLeftCorner(k, c);
    w.factorized.topLeftCorner(k, k).triangularView<Eigen::Lower>().solveInPlace(solved);
    const double mean_power = solved.col(0).squaredNorm();
    const double noise_power =
        solved.rightCols(c - 1).squaredNorm() / static_cast<double>(n) / static_cast<double>(n - 1);
    desirable = noise_power >= mean_power * config_.max_gradient_noise;
  }
  ++s.since_growth;
  if (!(desirable && eligible)) return;
  std::size_t inactive = 0;
  for (std::size_t i = 0; i < s.count; ++i) {
    if (!s.active[i]) w.candidates[inactive++] = i;
  }
  s.active[pick({w.candidates.data(), inactive})] = 1;
  s.since_growth = 0;
}

}  // namespace descent

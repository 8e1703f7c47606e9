// SFO's rejected steps (sfo.py handle_step_failure, l.885-990): a proposal
// at which the evaluated subfunction rose more than the models allow is taken
// back, the step scale halved.
#include <cmath>

#include "descent/optim/sfo.hpp"

namespace descent {

namespace {

constexpr double kEps = 1e-12;              // sfo.py l.119
constexpr double kMinimumStepScale = 1e-5;  // l.988
constexpr int kMaxBackoffs = 10;            // l.942

}  // namespace

// g_j(x) = f_j(x_j) + grad f_j(x_j)'(x - x_j) + 1/2 (x - x_j)' H_j (x - x_j),
// x given by its coordinates `at` (sfo.py get_predicted_subf, l.488-499).
double Sfo::predicted_value(std::size_t j, const Eigen::Ref<const Eigen::VectorXd>& at) const {
  const SfoState& s = state_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  const auto col = static_cast<Eigen::Index>(j);
  const auto d = at.head(k) - s.last_x.col(col).head(k);
  const auto cols = static_cast<Eigen::Index>(s.factor_cols[j]);
  const auto first = static_cast<Eigen::Index>(2 * s.history * j);
  const auto b = s.factor.block(0, first, k, cols);
  SfoSmallVector at_coords(cols), from_coords(cols);
  at_coords.noalias() = b.transpose() * at.head(k);
  from_coords.noalias() = b.transpose() * s.last_x.col(col).head(k);
  double curvature = s.min_eig[col] * d.squaredNorm();  // d' H_j d
  for (Eigen::Index c = 0; c < cols; ++c) {
    const double projected = at_coords[c] - from_coords[c];
    curvature += s.sign[static_cast<std::size_t>(first + c)] * projected * projected;
  }
  return s.last_f[col] + s.last_grad.col(col).head(k).dot(d) + 0.5 * curvature;
}

// l.897-902: f > mean + 3 std of the latest values of the subfunctions
// evaluated more than once (std over the population, as numpy's).
bool Sfo::three_sigma_above_others(double f) const {
  const SfoState& s = state_;
  double sum = 0, sum_squares = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.evals[i] > 1) {
      sum += s.last_f[static_cast<Eigen::Index>(i)];
      ++n;
    }
  }
  if (n == 0) return false;
  const double mean = sum / static_cast<double>(n);
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.evals[i] > 1) {
      const double d = s.last_f[static_cast<Eigen::Index>(i)] - mean;
      sum_squares += d * d;
    }
  }
  return f > mean + 3 * std::sqrt(sum_squares / static_cast<double>(n));
}

// The step to x (f = f_j(x), its gradient's coordinates in w.grad_proj) is
// rejected when
//   - f or the gradient is not finite;
//   - j is evaluated for the first time and f is 3 sigma above the others;
//   - f rose since j's last evaluation and its excess over the model,
//     f - g_j(x), exceeds the improvement predicted for the other
//     subfunctions, predicted_improvement - (f_j(x_j) - g_j(x)).
// Accepted: step_scale := 1/N + (1 - 1/N) step_scale. Rejected: step_scale
// /= 2; f_j is evaluated at the previous point x_prior; while f - f(x_prior)
// is 10 times the change the model predicted or more, x := 0.99 x_prior +
// 0.01 x and f_j is evaluated again (at most 10 times). If the point reached
// is better than x_prior and finite, both evaluations join j's history and x
// stays; else the failed point's pair joins it (if finite) and x, f and the
// gradient return to x_prior's. Returns whether the step was rejected.
bool Sfo::handle_rejection(SumOfFunctions& problem, std::size_t j, double& f) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto col = static_cast<Eigen::Index>(j);
  const double n = static_cast<double>(s.count);
  bool rejected = false;
  if (!std::isfinite(f) || !w.grad_proj.allFinite()) {
    rejected = true;
  } else if (s.evals[j] == 1) {
    rejected = three_sigma_above_others(f);
  } else if (f > s.last_f[col]) {
    const double predicted = predicted_value(j, s.x_proj);
    const double others = s.predicted_improvement - (s.last_f[col] - predicted);
    rejected = f - predicted > others;
  }
  if (!rejected) {
    s.step_scale = 1 / n + s.step_scale * (1 - 1 / n);
    s.step_scale = std::max(s.step_scale, kMinimumStepScale);
    return false;
  }

  s.step_scale /= 2;
  // Evaluations may change the subspace: gradients are kept at full length.
  lift(w.grad_proj, w.lifted);
  const double f_prior = evaluate(problem, j, {s.x_prior.data(), s.dim}, w.prior_grad_proj);
  lift(w.prior_grad_proj, w.lifted_prior);
  const double predicted = predicted_value(j, s.x_proj);
  double expected_change =
      std::isfinite(s.last_f[col]) ? std::abs(predicted - s.last_f[col]) : std::abs(f - f_prior);
  if (!std::isfinite(expected_change) || expected_change < kEps) expected_change = kEps;
  for (int t = 0; t < kMaxBackoffs; ++t) {
    if (f - f_prior < 10 * expected_change) break;  // NaN backs off further
    s.x = 0.99 * s.x_prior + 0.01 * s.x;            // l.950
    project(s.x, s.x_proj);
    f = evaluate(problem, j, {s.x.data(), s.dim}, w.grad_proj);
    lift(w.grad_proj, w.lifted);
  }
  project(w.lifted, w.grad_proj);
  project(w.lifted_prior, w.prior_grad_proj);

  const bool finite_here = std::isfinite(f) && w.grad_proj.allFinite();
  const bool finite_prior = std::isfinite(f_prior) && w.prior_grad_proj.allFinite();
  if (finite_here && f < f_prior) {
    project(s.x_prior, w.prior_x_proj);
    if (finite_prior) push_history(j, w.prior_x_proj, f_prior, w.prior_grad_proj);
  } else {
    if (finite_here) push_history(j, s.x_proj, f, w.grad_proj);
    f = f_prior;
    w.grad_proj = w.prior_grad_proj;
    s.x = s.x_prior;
    project(s.x, s.x_proj);
  }
  s.step_scale = std::max(s.step_scale, kMinimumStepScale);
  return true;
}

}  // namespace descent

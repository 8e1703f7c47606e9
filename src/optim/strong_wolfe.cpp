// The strong Wolfe line search of Nocedal & Wright, Algorithms 3.5 (bracketing)
// and 3.6 (zoom), each new trial step the minimizer of the cubic through the
// two ends' values and slopes (N&W eq. 3.59), safeguarded.
#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/optim/line_search.hpp"

namespace descent {

namespace {

bool is_finite(LinePoint p) { return std::isfinite(p.value) && std::isfinite(p.slope); }

// N&W eq. 3.59: the minimizer of the cubic that interpolates phi and phi' at
// a and b,
//   d1 = phi'(a) + phi'(b) - 3 (phi(a) - phi(b)) / (a - b)
//   d2 = sign(b - a) sqrt(d1^2 - phi'(a) phi'(b))
//   alpha = b - (b - a) (phi'(b) + d2 - d1) / (phi'(b) - phi'(a) + 2 d2)
// NaN when the cubic has no minimizer.
double cubic_minimizer(double a, LinePoint pa, double b, LinePoint pb) {
  const double d1 = pa.slope + pb.slope - 3 * (pa.value - pb.value) / (a - b);
  const double radicand = d1 * d1 - pa.slope * pb.slope;
  if (!(radicand >= 0)) return std::numeric_limits<double>::quiet_NaN();
  const double d2 = std::copysign(std::sqrt(radicand), b - a);
  return b - (b - a) * (pb.slope + d2 - d1) / (pb.slope - pa.slope + 2 * d2);
}

struct Search {
  const LineFunction& phi;
  LinePoint at_zero;
  const LineSearchConfig& config;
  std::size_t max_evaluations;
  LineSearchResult result;
  bool any_finite = false;

  LinePoint evaluate(double alpha) {
    result.step = alpha;
    result.at_step = phi(alpha);
    ++result.evaluations;
    any_finite = any_finite || is_finite(result.at_step);
    return result.at_step;
  }
  bool sufficient_decrease(double alpha, LinePoint p) const {
    return p.value <= at_zero.value + config.c1 * alpha * at_zero.slope;
  }
  bool curvature(LinePoint p) const {
    return std::abs(p.slope) <= -config.c2 * at_zero.slope;
  }
  LineSearchResult finish(LineSearchStatus status) {
    result.status = any_finite ? status : LineSearchStatus::not_finite;
    return result;
  }

  // N&W Algorithm 3.6 (zoom): [lo, hi] (either order) brackets steps that
  // satisfy the strong Wolfe conditions; lo has the lowest phi of the steps
  // tried that give sufficient decrease. A hi where phi is not finite is
  // bisected towards, since no cubic passes through it.
  LineSearchResult zoom(double lo, LinePoint p_lo, double hi, LinePoint p_hi) {
    for (;;) {
      if (result.evaluations >= max_evaluations) {
        return finish(LineSearchStatus::evaluation_limit);
      }
      const double width = std::abs(hi - lo);
      if (width <= 4 * std::numeric_limits<double>::epsilon() * std::max(lo, hi)) {
        return finish(LineSearchStatus::interval_too_small);
      }
      // Safeguard: stay a tenth of the bracket away from either end, so the
      // bracket shrinks by at least that much each time.
      const double low_end = std::min(lo, hi) + 0.2 * width;
      const double high_end = std::max(lo, hi) - 0.2 * width;
      double alpha = is_finite(p_hi) ? cubic_minimizer(lo, p_lo, hi, p_hi) : 0.5 * (lo + hi);
      alpha = std::isfinite(alpha) ? std::clamp(alpha, low_end, high_end) : 0.5 * (lo + hi);
      const LinePoint p = evaluate(alpha);
      if (!is_finite(p) || !sufficient_decrease(alpha, p) || p.value >= p_lo.value) {
        hi = alpha;
        p_hi = p;
        continue;
      }
      if (curvature(p)) return finish(LineSearchStatus::converged);
      if (p.slope * (hi - lo) >= 0) {
        hi = lo;
        p_hi = p_lo;
      }
      lo = alpha;
      p_lo = p;
    }
  }
};

}  // namespace

// N&W Algorithm 3.5: steps grow from alpha_1 = initial_step until one
// satisfies the strong Wolfe conditions or a bracket for zoom is found:
//   phi(alpha_i) > phi(0) + c1 alpha_i phi'(0), or phi(alpha_i) >= phi(alpha_{i-1})
//       -> zoom(alpha_{i-1}, alpha_i)
//   |phi'(alpha_i)| <= -c2 phi'(0)            -> accept alpha_i
//   phi'(alpha_i) >= 0                         -> zoom(alpha_i, alpha_{i-1})
//   otherwise alpha_{i+1} in (alpha_i, max_step): the cubic's minimizer,
//   kept within [alpha_i + 1.1 (alpha_i - alpha_{i-1}), alpha_i + 4 (alpha_i - alpha_{i-1})]
//   (Moré & Thuente's extrapolation bounds).
LineSearchResult strong_wolfe_search(const LineFunction& phi, LinePoint at_zero,
                                     double initial_step, const LineSearchConfig& config,
                                     std::size_t max_evaluations) {
  Search search{phi, at_zero, config, max_evaluations, {}};
  double previous = 0;
  LinePoint p_previous = at_zero;
  double alpha = std::min(initial_step, config.max_step);
  for (std::size_t i = 1;; ++i) {
    const LinePoint p = search.evaluate(alpha);
    if (!is_finite(p) || !search.sufficient_decrease(alpha, p) ||
        (i > 1 && p.value >= p_previous.value)) {
      return search.zoom(previous, p_previous, alpha, p);
    }
    if (search.curvature(p)) return search.finish(LineSearchStatus::converged);
    if (p.slope >= 0) return search.zoom(alpha, p, previous, p_previous);
    if (search.result.evaluations >= max_evaluations) {
      return search.finish(LineSearchStatus::evaluation_limit);
    }
    if (alpha >= config.max_step) return search.finish(LineSearchStatus::step_limit);
    const double growth = alpha - previous;
    const double cubic = cubic_minimizer(previous, p_previous, alpha, p);
    const double next = std::isfinite(cubic)
                            ? std::clamp(cubic, alpha + 1.01 * growth, alpha + 10 * growth)
                            : alpha + 4 * growth;
    previous = alpha;
    p_previous = p;
    alpha = std::min(next, config.max_step);
  }
}

}  // namespace descent

// Line searches along a descent direction d from x: they choose the step
// alpha of x + alpha d by looking at the one-dimensional function
//   phi(alpha) = f(x + alpha d),  phi'(alpha) = grad f(x + alpha d) . d,
// given phi(0) and phi'(0) < 0. Two kinds:
//   strong_wolfe  the bracketing and zoom of Nocedal & Wright, Algorithms 3.5
//                 and 3.6, with cubic interpolation (N&W eq. 3.59); the step
//                 satisfies the strong Wolfe conditions (N&W eq. 3.7)
//                   phi(alpha) <= phi(0) + c1 alpha phi'(0)      (sufficient decrease)
//                   |phi'(alpha)| <= c2 |phi'(0)|                 (curvature)
//   backtracking  Armijo backtracking (N&W Algorithm 3.1): alpha *= shrink
//                 until sufficient decrease holds; phi' is still evaluated
//                 (the minimizers need the gradient at the new point).
// A trial step where phi or phi' is not finite counts as too long: the search
// shrinks the step, so a function that returns NaN far away is survivable.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace descent {

enum class LineSearchKind { strong_wolfe, backtracking };

// "strong-wolfe" or "backtracking"; ConfigError naming `line-search` otherwise.
LineSearchKind line_search_kind(const std::string& name);
std::string to_string(LineSearchKind kind);

struct LineSearchConfig {
  LineSearchKind kind = LineSearchKind::strong_wolfe;
  // c1 of the sufficient-decrease (Armijo) condition; 0 < c1 < 0.5.
  double c1 = 1e-4;
  // c2 of the curvature condition (strong_wolfe only); c1 < c2 < 1. 0.9 suits
  // quasi-Newton directions, 0.1 conjugate gradients (N&W, after eq. 3.7).
  double c2 = 0.9;
  // Backtracking's factor alpha <- shrink * alpha; 0 < shrink < 1.
  double shrink = 0.5;
  // Evaluations of f one search may make before it fails; >= 1.
  std::size_t max_evaluations = 20;
  // The bracketing phase never tries a step longer than this; > 0.
  double max_step = 1e20;
  void validate() const;
};

// phi and phi' at one step.
struct LinePoint {
  double value = 0;
  double slope = 0;
};

enum class LineSearchStatus {
  converged,         // the step satisfies the conditions
  evaluation_limit,    // max_evaluations (or the caller's budget) spent first
  step_limit,          // phi still decreasing steeply at max_step: f may be unbounded below
  interval_too_small,  // the bracket shrank below rounding: no acceptable step is resolvable
  not_finite,          // phi was not finite at any trial step
};
std::string to_string(LineSearchStatus status);

struct LineSearchResult {
  double step = 0;  // the accepted step (on failure: the last one tried)
  LinePoint at_step;
  std::size_t evaluations = 0;
  LineSearchStatus status = LineSearchStatus::converged;
};

// phi(alpha) evaluated; the minimizers also move x and the gradient there.
using LineFunction = std::function<LinePoint(double alpha)>;

// Searches from `initial_step` (> 0) given phi at 0 (slope < 0). On success
// the last evaluation made was at the accepted step. `max_evaluations` caps
// this search below config.max_evaluations when the caller's budget is smaller.
LineSearchResult line_search(const LineFunction& phi, LinePoint at_zero, double initial_step,
                             const LineSearchConfig& config, std::size_t max_evaluations);

// Algorithms 3.5-3.6 and 3.1 (line_search dispatches on config.kind).
LineSearchResult strong_wolfe_search(const LineFunction& phi, LinePoint at_zero,
                                     double initial_step, const LineSearchConfig& config,
                                     std::size_t max_evaluations);
LineSearchResult backtracking_search(const LineFunction& phi, LinePoint at_zero,
                                     double initial_step, const LineSearchConfig& config,
                                     std::size_t max_evaluations);

}  // namespace descent

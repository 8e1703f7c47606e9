#include "descent/optim/line_search.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/optimizer_options.hpp"

namespace descent {

LineSearchKind line_search_kind(const std::string& name) {
  if (name == "strong-wolfe") return LineSearchKind::strong_wolfe;
  if (name == "backtracking") return LineSearchKind::backtracking;
  throw ConfigError("line-search: unknown '" + name + "', expected strong-wolfe or backtracking");
}

std::string to_string(LineSearchKind kind) {
  return kind == LineSearchKind::strong_wolfe ? "strong-wolfe" : "backtracking";
}

std::string to_string(LineSearchStatus status) {
  switch (status) {
    case LineSearchStatus::converged:
      return "converged";
    case LineSearchStatus::evaluation_limit:
      return "evaluation limit reached";
    case LineSearchStatus::step_limit:
      return "f still decreasing steeply at max-step (unbounded below?)";
    case LineSearchStatus::interval_too_small:
      return "bracket shrank below rounding error";
    case LineSearchStatus::not_finite:
      return "f was not finite at any trial step";
  }
  return "unknown";
}

void LineSearchConfig::validate() const {
  check_options(optimizer_option_table(), *this);
  if (!(c2 > c1)) {
    throw ConfigError("c2: must satisfy c1 < c2 < 1 (c1 = " + shortest(c1) + "), got " +
                      shortest(c2));
  }
}

LineSearchResult line_search(const LineFunction& phi, LinePoint at_zero, double initial_step,
                             const LineSearchConfig& config, std::size_t max_evaluations) {
  if (config.kind == LineSearchKind::strong_wolfe) {
    return strong_wolfe_search(phi, at_zero, initial_step, config, max_evaluations);
  }
  return backtracking_search(phi, at_zero, initial_step, config, max_evaluations);
}

// N&W Algorithm 3.1 (backtracking line search):
//   alpha = alpha0; while phi(alpha) > phi(0) + c1 alpha phi'(0): alpha = shrink alpha
LineSearchResult backtracking_search(const LineFunction& phi, LinePoint at_zero,
                                     double initial_step, const LineSearchConfig& config,
                                     std::size_t max_evaluations) {
  LineSearchResult result;
  result.step = initial_step;
  bool any_finite = false;
  for (;;) {
    result.at_step = phi(result.step);
    ++result.evaluations;
    const bool finite = std::isfinite(result.at_step.value) && std::isfinite(result.at_step.slope);
    any_finite = any_finite || finite;
    if (finite &&
        result.at_step.value <= at_zero.value + config.c1 * result.step * at_zero.slope) {
      result.status = LineSearchStatus::converged;
      return result;
    }
    if (result.evaluations >= max_evaluations) break;
    result.step *= config.shrink;
  }
  result.status = any_finite ? LineSearchStatus::evaluation_limit : LineSearchStatus::not_finite;
  return result;
}

}  // namespace descent

#include "descent/optim/stopping.hpp"

#include "descent/core/error.hpp"
#include "descent/optim/check.hpp"

namespace descent {

void StoppingConfig::validate() const {
  check_non_negative("gradient-tolerance", gradient_tolerance);
  check_non_negative("f-tolerance", f_tolerance);
  if (max_iterations < 1) throw ConfigError("max-iterations: expected at least 1, got 0");
  if (max_evaluations < 2) {
    throw ConfigError("max-evaluations: expected at least 2, got " +
                      std::to_string(max_evaluations));
  }
}

std::string to_string(StopReason reason) {
  switch (reason) {
    case StopReason::gradient_small:
      return "gradient";
    case StopReason::f_decrease_small:
      return "f-decrease";
    case StopReason::max_iterations:
      return "max-iterations";
    case StopReason::max_evaluations:
      return "max-evaluations";
    case StopReason::line_search_failed:
      return "line-search-failed";
    case StopReason::not_finite:
      return "not-finite";
  }
  return "unknown";
}

}  // namespace descent

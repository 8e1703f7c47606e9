#include "descent/optim/check.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

void check_positive(const std::string& field, double value) {
  if (!(value > 0) || !std::isfinite(value)) {
    throw ConfigError(field + ": expected a finite number > 0, got " + shortest(value));
  }
}

void check_non_negative(const std::string& field, double value) {
  if (!(value >= 0) || !std::isfinite(value)) {
    throw ConfigError(field + ": expected a finite number >= 0, got " + shortest(value));
  }
}

}  // namespace descent

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

void check_unit_interval(const std::string& field, double value) {
  if (!(value >= 0 && value < 1)) {
    throw ConfigError(field + ": expected a number in [0, 1), got " + shortest(value));
  }
}

}  // namespace descent

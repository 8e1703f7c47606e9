// NumPy's legacy RandomState draws.
#include "descent/core/numpy_random.hpp"

#include <cmath>

namespace descent {

double NumpyRandomState::random_sample() {
  const std::uint32_t a = static_cast<std::uint32_t>(engine_()) >> 5;
  const std::uint32_t b = static_cast<std::uint32_t>(engine_()) >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandomState::uniform(double low, double high) {
  return low + (high - low) * random_sample();
}

double NumpyRandomState::normal(double loc, double scale) {
  return loc + scale * standard_normal();
}

// Polar method: (x1, x2) uniform in the unit disc, r2 = x1^2 + x2^2,
// f = sqrt(-2 ln(r2) / r2); f * x1 and f * x2 are independent N(0, 1).
double NumpyRandomState::standard_normal() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  double x1 = 0.0;
  double x2 = 0.0;
  double r2 = 0.0;
  do {
    x1 = 2.0 * random_sample() - 1.0;
    x2 = 2.0 * random_sample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

}  // namespace descent

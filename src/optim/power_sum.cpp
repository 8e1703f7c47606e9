#include "descent/optim/power_sum.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"

namespace descent {

PowerSum::PowerSum(std::size_t dim, std::size_t subfunctions, std::uint64_t seed) {
  if (dim == 0 || subfunctions == 0) {
    throw ConfigError("power sum: expected M, N >= 1, got M = " + std::to_string(dim) +
                      ", N = " + std::to_string(subfunctions));
  }
  Rng rng(seed);
  powers_.resize(subfunctions);
  centers_.resize(subfunctions * dim);
  for (std::size_t k = 0; k < subfunctions; ++k) {
    powers_[k] = 1.5 + 3 * rng.uniform();
    for (std::size_t m = 0; m < dim; ++m) centers_[k * dim + m] = rng.normal();
  }
  start_.resize(dim);
  for (double& x : start_) x = rng.normal();
}

// With e = a / 2 and r = x_m - u_km: d/dx_m (r^2)^e = e (r^2)^(e - 1) 2 r.
double PowerSum::evaluate(std::size_t k, std::span<const double> x, std::span<double> gradient) {
  const std::size_t dim = start_.size();
  const double half_power = powers_[k] / 2;
  const double* center = centers_.data() + k * dim;
  const double scale = 1.0 / static_cast<double>(dim);
  double f = 0;
  for (std::size_t m = 0; m < dim; ++m) {
    const double r = x[m] - center[m];
    const double r2 = r * r;
    f += std::pow(r2, half_power);
    gradient[m] = half_power * std::pow(r2, half_power - 1) * 2 * r * scale;
  }
  return f * scale;
}

}  // namespace descent

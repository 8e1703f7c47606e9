#include "descent/experiment/spread.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "descent/core/error.hpp"

namespace descent {

Spread spread_of(std::span<const double> values) {
  Spread spread;
  spread.n = values.size();
  if (values.empty()) return spread;
  double sum = 0;
  for (double x : values) sum += x;
  spread.mean = sum / static_cast<double>(values.size());
  if (values.size() < 2 || !std::isfinite(spread.mean)) return spread;
  double squares = 0;
  for (double x : values) squares += (x - spread.mean) * (x - spread.mean);
  spread.sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
  const double half_width =
      student_t_975(values.size() - 1) * spread.sd / std::sqrt(static_cast<double>(values.size()));
  spread.ci95_low = spread.mean - half_width;
  spread.ci95_high = spread.mean + half_width;
  return spread;
}

namespace {

// A(t | nu) = P(|T| <= t) for Student's t with nu degrees of freedom, with
// theta = atan(t / sqrt(nu)) (Abramowitz and Stegun 26.7.3 and 26.7.4):
//   nu = 1:    A = 2 theta / pi
//   nu odd:    A = 2/pi (theta + sin theta [cos theta + 2/3 cos^3 theta + ...
//                  + (2 4 ... (nu-3)) / (1 3 ... (nu-2)) cos^(nu-2) theta])
//   nu even:   A = sin theta [1 + 1/2 cos^2 theta + (1 3)/(2 4) cos^4 theta + ...
//                  + (1 3 ... (nu-3)) / (2 4 ... (nu-2)) cos^(nu-2) theta]
// Each term is the one before times (k-1)/k cos^2 theta, k = 3, 5, ... (odd)
// or k = 2, 4, ... (even), up to k = nu - 2.
double two_sided_t_probability(double t, std::size_t nu) {
  const double theta = std::atan(t / std::sqrt(static_cast<double>(nu)));
  const double cos2 = std::cos(theta) * std::cos(theta);
  const bool odd = nu % 2 == 1;
  double term = odd ? std::cos(theta) : 1.0;
  double sum = nu == 1 ? 0.0 : term;
  for (std::size_t k = odd ? 3 : 2; k + 2 <= nu; k += 2) {
    term *= static_cast<double>(k - 1) / static_cast<double>(k) * cos2;
    sum += term;
  }
  if (odd) return 2 / std::numbers::pi * (theta + std::sin(theta) * sum);
  return std::sin(theta) * sum;
}

}  // namespace

double student_t_975(std::size_t dof) {
  if (dof == 0) throw ConfigError("Student's t: degrees of freedom must be >= 1");
  double low = 0;
  double high = 1;
  while (two_sided_t_probability(high, dof) < 0.95) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-15 * high; ++i) {
    const double middle = 0.5 * (low + high);
    (two_sided_t_probability(middle, dof) < 0.95 ? low : high) = middle;
  }
  return 0.5 * (low + high);
}

std::vector<Spread> seed_band(std::span<const std::vector<double>> curves) {
  std::size_t epochs = 0;
  for (const std::vector<double>& curve : curves) epochs = std::max(epochs, curve.size());
  std::vector<Spread> band;
  std::vector<double> at_epoch;
  for (std::size_t e = 0; e < epochs; ++e) {
    at_epoch.clear();
    for (const std::vector<double>& curve : curves) {
      if (e < curve.size() && std::isfinite(curve[e])) at_epoch.push_back(curve[e]);
    }
    band.push_back(spread_of(at_epoch));
  }
  return band;
}

bool within_spread(const Spread& a, const Spread& b) {
  if (a.mean == b.mean) return true;
  const auto known = [](double sd) { return std::isnan(sd) ? 0.0 : sd; };
  return std::abs(a.mean - b.mean) <= known(a.sd) + known(b.sd);
}

}  // namespace descent

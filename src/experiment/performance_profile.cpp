#include "descent/experiment/performance_profile.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

std::vector<std::vector<double>> performance_ratios(const std::vector<std::vector<double>>& times) {
  if (times.empty() || times[0].empty()) {
    throw ConfigError("performance profile: needs at least one method and one problem");
  }
  const std::size_t problems = times[0].size();
  for (std::size_t m = 0; m < times.size(); ++m) {
    const std::string method = "performance profile: method " + std::to_string(m + 1);
    if (times[m].size() != problems) {
      throw ConfigError(method + " has " + std::to_string(times[m].size()) +
                        " times, method 1 has " + std::to_string(problems));
    }
    for (std::size_t p = 0; p < problems; ++p) {
      if (!(times[m][p] > 0)) {
        throw ConfigError(method + ", problem " + std::to_string(p + 1) + ": time " +
                          shortest(times[m][p]) + " (expected > 0, or inf if never reached)");
      }
    }
  }
  constexpr double kNever = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> ratios(times.size(), std::vector<double>(problems));
  for (std::size_t p = 0; p < problems; ++p) {
    double best = kNever;
    for (const std::vector<double>& row : times) best = std::min(best, row[p]);
    // A problem no method reached: inf for all, not inf / inf.
    for (std::size_t m = 0; m < times.size(); ++m) {
      ratios[m][p] = best == kNever ? kNever : times[m][p] / best;
    }
  }
  return ratios;
}

namespace {

void check_ratios(std::span<const double> ratios, double tau_max = kAlgoPerfTauMax) {
  if (ratios.empty()) throw ConfigError("performance profile: no problems");
  if (!(tau_max > 1)) throw ConfigError("performance profile: tau_max must be > 1");
}

}  // namespace

double profile_at(std::span<const double> ratios, double tau) {
  check_ratios(ratios);
  const auto within =
      std::count_if(ratios.begin(), ratios.end(), [tau](double r) { return r <= tau; });
  return static_cast<double>(within) / static_cast<double>(ratios.size());
}

std::vector<ProfilePoint> profile_steps(std::span<const double> ratios, double tau_max) {
  check_ratios(ratios, tau_max);
  std::vector<double> taus = {1.0};
  for (double r : ratios) {
    if (r > 1 && r <= tau_max) taus.push_back(r);
  }
  taus.push_back(tau_max);
  std::sort(taus.begin(), taus.end());
  taus.erase(std::unique(taus.begin(), taus.end()), taus.end());
  std::vector<ProfilePoint> points;
  for (double tau : taus) points.push_back({tau, profile_at(ratios, tau)});
  return points;
}

double profile_score(std::span<const double> ratios, double tau_max) {
  check_ratios(ratios, tau_max);
  double area = 0;
  for (double r : ratios) area += std::max(0.0, tau_max - std::max(1.0, r));
  return area / (tau_max - 1) / static_cast<double>(ratios.size());
}

}  // namespace descent

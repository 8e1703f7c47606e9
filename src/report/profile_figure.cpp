// The performance profile as a figure: rho_m(tau) of each method as steps.
#include <cstdio>

#include "descent/report/report_figures.hpp"

namespace descent {

Figure profile_figure(const SweepProfiles& profiles, const std::string& id) {
  Figure figure;
  figure.id = id;
  figure.title = "Performance profile over " + std::to_string(profiles.problems.size()) +
                 (profiles.problems.size() == 1 ? " problem" : " problems") + " (passes to target)";
  figure.x_label = "tau: within this factor of the fastest method";
  figure.y_label = "share of problems";
  for (std::size_t m = 0; m < profiles.methods.size(); ++m) {
    Series series;
    char score[32];
    std::snprintf(score, sizeof score, "%.3f", profiles.scores[m]);
    series.label = profiles.methods[m] + " (score " + score + ")";
    series.color = optimizer_color(profiles.methods[m]);
    const std::vector<ProfilePoint>& steps = profiles.profiles[m];
    for (std::size_t k = 0; k < steps.size(); ++k) {
      // rho holds its value from tau_k up to tau_{k+1}: a vertical rise at
      // each tau_k, drawn as two points at the same tau.
      if (k > 0) {
        series.x.push_back(steps[k].tau);
        series.y.push_back(steps[k - 1].rho);
      }
      series.x.push_back(steps[k].tau);
      series.y.push_back(steps[k].rho);
    }
    figure.series.push_back(std::move(series));
  }
  return figure;
}

}  // namespace descent

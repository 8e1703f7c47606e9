#include "descent/experiment/tuning_protocol.hpp"

#include <algorithm>
#include <string>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

TuningResult tuning_result(const std::vector<std::vector<double>>& times) {
  if (times.empty()) throw ConfigError("tuning protocol: no studies");
  TuningResult result;
  std::vector<double> best_times;
  for (std::size_t j = 0; j < times.size(); ++j) {
    const std::string study = "tuning protocol: study " + std::to_string(j + 1);
    if (times[j].empty()) throw ConfigError(study + " has no trials");
    StudyBest best{0, times[j][0]};
    for (std::size_t i = 0; i < times[j].size(); ++i) {
      const double t = times[j][i];
      if (!(t > 0)) {
        throw ConfigError(study + ", trial " + std::to_string(i + 1) + ": time " + shortest(t) +
                          " (expected > 0, or inf for a trial that never reached the target)");
      }
      if (t < best.time) best = {i, t};
    }
    result.studies.push_back(best);
    best_times.push_back(best.time);
  }
  std::sort(best_times.begin(), best_times.end());
  const std::size_t middle = best_times.size() / 2;
  result.time = best_times.size() % 2 == 1 ? best_times[middle]
                                           : 0.5 * (best_times[middle - 1] + best_times[middle]);
  return result;
}

}  // namespace descent

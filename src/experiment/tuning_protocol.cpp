#include "descent/experiment/tuning_protocol.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/registry.hpp"

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

std::vector<double> trial_learning_rates(double low, double high, std::size_t study,
                                         std::size_t trials) {
  if (!(low > 0) || !(high >= low) || !std::isfinite(high)) {
    throw ConfigError("tuning protocol: learning-rate range [" + shortest(low) + ", " +
                      shortest(high) + "] (expected 0 < low <= high)");
  }
  if (trials == 0) throw ConfigError("trials: expected at least 1, got 0");
  Rng rng(study);
  std::vector<double> lrs;
  for (std::size_t i = 0; i < trials; ++i) {
    // lr = low (high / low)^u, u ~ U(0, 1)
    lrs.push_back(low * std::pow(high / low, rng.uniform()));
  }
  return lrs;
}

std::vector<GroupSpec> tuning_studies(const GroupSpec& grid, std::size_t studies,
                                      std::size_t trials) {
  if (studies == 0) throw ConfigError("studies: expected at least 1, got 0");
  if (trials == 0) throw ConfigError("trials: expected at least 1, got 0");
  std::vector<GroupSpec> groups;
  for (std::size_t j = 1; j <= studies; ++j) {
    GroupSpec study = grid;
    study.name = "study-" + std::to_string(j);
    study.title = "Tuning study " + std::to_string(j) + " of " + std::to_string(studies) + ": " +
                  std::to_string(trials) + " learning rates per optimizer, seed " +
                  std::to_string(j - 1);
    study.kind = GroupKind::lr_sweep;
    study.study = j;
    study.seeds = {j - 1};
    study.learning_rates.clear();
    study.best_lr_from.clear();
    for (OptimizerChoice& choice : study.optimizers) {
      const std::vector<double> given =
          choice.learning_rates.empty() ? grid.learning_rates : choice.learning_rates;
      double low = 0, high = 0;
      if (!given.empty() && *std::min_element(given.begin(), given.end()) !=
                                *std::max_element(given.begin(), given.end())) {
        low = *std::min_element(given.begin(), given.end());
        high = *std::max_element(given.begin(), given.end());
      } else {
        const double center = given.empty() ? default_learning_rate(choice.name) : given.front();
        low = center / 10;
        high = center * 10;
      }
      choice.learning_rates = chooses_own_steps(optimizer_kind(choice.name))
                                  ? std::vector<double>{default_learning_rate(choice.name)}
                                  : trial_learning_rates(low, high, j, trials);
    }
    groups.push_back(std::move(study));
  }
  return groups;
}

}  // namespace descent

// Time to target: the first step, pass and second at which a run's metric
// reaches a fixed target, the measure by which MLCommons AlgoPerf scores a
// training algorithm on a workload ("time-to-result", docs/DOCUMENTATION.md of
// github.com/mlcommons/algorithmic-efficiency).
//
// A metric is measured once per epoch, so the run reaches the target at the
// end of the first epoch e whose value does: value_e >= target for accuracies,
// value_e <= target for losses (AlgoPerf's operator.ge and operator.le). NaN
// (a diverged run) never reaches. A run that never reaches has +inf in all
// three, as in AlgoPerf.
#pragma once

#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>

#include "descent/experiment/epoch_metric.hpp"
#include "descent/train/history.hpp"

namespace descent {

struct Target {
  EpochMetric metric = EpochMetric::val_acc;
  double value = 0;
};

// "val_acc=0.88": an epoch metric (epoch_metric.hpp) and a value, an accuracy
// in [0, 1] or a finite loss >= 0. ConfigError naming the text and what is
// wrong with it.
Target parse_target(std::string_view text);
std::string to_string(const Target& target);  // "val_acc=0.88"
bool reaches(const Target& target, double value);

struct TimeToTarget {
  static constexpr double kNever = std::numeric_limits<double>::infinity();
  double steps = kNever;    // iterations done at the end of epoch e
  double passes = kNever;   // passes over the training data by then (NaN if not recorded)
  double seconds = kNever;  // training seconds by then, evaluation excluded

  bool reached() const { return steps != kNever; }
};

// From a run's epochs and its per-iteration passes (History::passes; may be
// empty, as in folders written before passes were recorded). seconds is the
// epoch's train_seconds, or its wall-clock seconds where train_seconds was not
// measured.
TimeToTarget time_to_target(std::span<const EpochRecord> epochs, std::span<const double> passes,
                            const Target& target);
TimeToTarget time_to_target(const History& history, const Target& target);

// The summary fields steps_to_target, passes_to_target and seconds_to_target;
// null where never reached (or passes not recorded).
nlohmann::json to_json(const TimeToTarget& time);
// The same three as CSV cells "steps,passes,seconds", empty where null.
std::string csv_cells(const TimeToTarget& time);

}  // namespace descent

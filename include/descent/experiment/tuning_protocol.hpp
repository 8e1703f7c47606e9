// AlgoPerf's external-tuning protocol (docs/DOCUMENTATION.md of
// github.com/mlcommons/algorithmic-efficiency, "External Tuning Ruleset"):
// each workload is tuned in several independent studies of several trials
// (hyperparameter points); a study scores its fastest trial, and the
// workload's result is the median over studies,
//   t_w = median_j ( min_i t_{i,j} ),
// with t_{i,j} the time to target of trial i in study j and +inf for a trial
// that never reached the target (the infinities take part in the median).
// With an even number of studies the median is the mean of the middle two,
// as numpy.median, which AlgoPerf's scoring code calls.
#pragma once

#include <cstddef>
#include <vector>

namespace descent {

struct StudyBest {
  std::size_t trial = 0;  // index of the fastest trial; the first one on ties
  double time = 0;        // its time to target, +inf if no trial reached it
};

struct TuningResult {
  std::vector<StudyBest> studies;
  double time = 0;  // the median over studies of their best times
};

// times[j][i]: time to target of trial i in study j, > 0 or +inf. ConfigError
// for no study, a study without trials, or a time that is NaN or <= 0, naming
// the study and trial (both counted from 1).
TuningResult tuning_result(const std::vector<std::vector<double>>& times);

}  // namespace descent

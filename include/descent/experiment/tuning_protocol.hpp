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
//
// descent's studies search the learning rate: `descent compare --studies K
// --trials M` runs K groups "study-1" ... "study-K", each with its own seed,
// in which every optimizer trains at M learning rates drawn log-uniformly
// from its search space; the report gives each method's median over studies
// of its fastest trial (findings.hpp).
#pragma once

#include <cstddef>
#include <vector>

#include "descent/experiment/experiment.hpp"

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

// The learning rates of study `study`'s trials (study counted from 1): trial
// i draws u_i ~ U(0, 1) from the study's own stream (Rng seeded with the
// study's number) and takes lr_i = low (high / low)^u_i, log-uniform in
// [low, high]. Every optimizer of a study takes the same u_i, each in its own
// range. ConfigError unless 0 < low <= high, both finite, and trials >= 1.
std::vector<double> trial_learning_rates(double low, double high, std::size_t study,
                                         std::size_t trials);

// The studies of a tuning protocol over the grid `grid`: `studies` groups
// "study-1", "study-2", ... of kind lr-sweep, study j with seed j - 1 and, for
// each optimizer of the grid, `trials` learning rates from its search space:
// [min, max] of its learning rates (its own, else the grid's) when they hold
// two different ones, else a decade either side of its one rate (or its
// default). Optimizers that choose their own steps (lbfgs, cg, sfo) have no
// rate to tune and run once per study. ConfigError for no studies or trials.
std::vector<GroupSpec> tuning_studies(const GroupSpec& grid, std::size_t studies,
                                      std::size_t trials);

}  // namespace descent

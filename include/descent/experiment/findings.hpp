// What a sweep found, the way the report opens with it: each method (an
// optimizer under one schedule) at its tuned learning rate, chosen by the
// mean final validation accuracy over seeds (tuned_rate.hpp), with the spread
// of that accuracy over seeds and its time to the sweep's target; then which
// method wins, by how much, and which others are within its spread. A sweep
// on a network without classes (SweepFolder::classes) is judged the same way
// by the final validation loss, lowest first.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "descent/experiment/spread.hpp"
#include "descent/experiment/sweep_folder.hpp"

namespace descent {

struct MethodFinding {
  std::string method;  // "adam", or "adam / step" where a sweep has several schedules
  double lr = 0;       // the tuned rate
  Spread val_acc;      // final validation accuracy over the seeds at that rate
  Spread val_loss;     // final validation loss over the same seeds
  // Time to target over the seeds that reached it; `reached` of `seeds` did
  // (a seed that never reached counts as infinitely slow).
  Spread steps_to_target;
  Spread passes_to_target;
  Spread seconds_to_target;
  std::size_t reached = 0;
  std::size_t seeds = 0;
};

struct SweepFindings {
  std::string target;                  // "val_acc=0.88"; empty if the folder has none
  bool by_loss = false;                // ranked by val_loss (no classes), else val_acc
  std::vector<MethodFinding> methods;  // best mean accuracy (or loss) first
  // Methods whose accuracy (or loss) is within the winner's spread
  // (spread.hpp's rule), the winner excluded.
  std::vector<std::string> ties;
  // The method that reaches the target in the fewest passes with every seed;
  // empty if none does.
  std::string fastest;
};

// From the finished and diverged runs of the folder (pending ones are left
// out; a diverged seed counts with accuracy 0 and never reaching).
SweepFindings sweep_findings(const SweepFolder& folder);

// A run's passes over the training data to its target (steps, in folders
// written before passes were recorded); +inf if it did not finish or never
// reached the target.
double passes_to_target(const FolderRun& run);

// A method's result under the tuning protocol (tuning_protocol.hpp), from the
// study groups of a sweep: in each study, its fastest trial to the target by
// passes over the training data, and the median of those over studies. A
// trial that diverged or never reached the target counts as +inf; unfinished
// trials are left out.
struct ProtocolFinding {
  std::string method;
  std::vector<double> best_lr;      // per study: the fastest trial's rate; NaN if none reached
  std::vector<double> best_passes;  // per study: its passes to target; +inf if none reached
  double passes = 0;                // the median over studies
  double seconds = 0;               // the same protocol on training seconds to target
  std::size_t trials = 0;           // the trials it has in a study (the most of any study)
};

struct ProtocolFindings {
  std::size_t studies = 0;  // 0: the sweep has no tuning protocol
  std::string target;
  std::vector<ProtocolFinding> methods;  // fewest passes first; ties keep the sweep's order
};

ProtocolFindings protocol_findings(const SweepFolder& folder);

}  // namespace descent

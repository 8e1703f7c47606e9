// What a sweep found, the way the report opens with it: each method (an
// optimizer under one schedule) at its tuned learning rate, chosen by the
// mean final validation accuracy over seeds (tuned_rate.hpp), with the spread
// of that accuracy over seeds and its time to the sweep's target; then which
// method wins, by how much, and which others are within its spread.
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
  // Time to target over the seeds that reached it; `reached` of `seeds` did
  // (a seed that never reached counts as infinitely slow).
  Spread steps_to_target;
  Spread passes_to_target;
  Spread seconds_to_target;
  std::size_t reached = 0;
  std::size_t seeds = 0;
};

struct SweepFindings {
  std::string target;                  // "val_acc=0.85"; empty if the folder has none
  std::vector<MethodFinding> methods;  // best mean accuracy first
  // Methods whose accuracy is within the winner's spread (spread.hpp's rule),
  // the winner excluded.
  std::vector<std::string> ties;
  // The method that reaches the target in the fewest passes with every seed;
  // empty if none does.
  std::string fastest;
};

// From the finished and diverged runs of the folder (pending ones are left
// out; a diverged seed counts with accuracy 0 and never reaching).
SweepFindings sweep_findings(const SweepFolder& folder);

}  // namespace descent

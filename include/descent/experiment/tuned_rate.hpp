// Each optimizer's best learning rate, chosen by the mean over seeds: the
// seeds of one (optimizer, rate) are repeats of one configuration, and a rate
// that wins by one lucky seed is not the better rate.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "descent/experiment/spread.hpp"

namespace descent {

// One run's result: final validation accuracy, time to target, ...
struct SeedRun {
  std::string optimizer;  // or any label of a method, "momentum/step"
  double lr = 0;
  double value = 0;
};

struct RateSpread {
  std::string optimizer;
  double lr = 0;
  Spread spread;  // over the seeds of this optimizer and rate
};

// One entry per (optimizer, lr), in the order the runs first name them.
std::vector<RateSpread> spreads_by_rate(std::span<const SeedRun> runs);

// For each optimizer, in the order the runs first name them, the rate whose
// mean over seeds is best: highest if higher_is_better, else lowest. A rate
// whose mean is NaN (a seed without a result) ranks below every other; ties go
// to the rate named first.
std::vector<RateSpread> best_rates(std::span<const SeedRun> runs, bool higher_is_better);

}  // namespace descent

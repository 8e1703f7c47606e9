// When a run has diverged: a NaN or infinite loss, or, with diverge_factor f
// > 0, a moving average of the loss (beta 0.9, bias-corrected as Adam's
// moments are) above f times the first iteration's loss. The average lets
// one noisy minibatch pass.
#pragma once

#include <span>
#include <string>

#include "descent/core/moving_average.hpp"

namespace descent {

class DivergenceMonitor {
 public:
  // diverge_factor 0: only a loss that is not finite.
  explicit DivergenceMonitor(double diverge_factor) : diverge_factor_(diverge_factor) {}

  // Takes the latest iteration's loss; `losses` is every iteration's so far,
  // the latest last. Returns why the run must stop, or nothing.
  std::string observe(std::span<const float> losses);
  // Rebuilds the average from the losses of a resumed run.
  void replay(std::span<const float> losses);

 private:
  double diverge_factor_;
  MovingAverage average_{0.9};
};

}  // namespace descent

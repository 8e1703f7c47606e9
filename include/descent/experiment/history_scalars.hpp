// A History as scalars, one per metric and step, the shape that metrics.csv
// and TensorBoard's event files hold: per iteration the minibatch loss; the
// learning rate at the first and last iteration and on both sides of each
// change (a line through those points is the schedule, its steps kept as
// steps; a constant rate is two points, not one per iteration); per epoch the
// metrics of epoch_metric.hpp.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "descent/train/history.hpp"

namespace descent {

struct Scalar {
  std::size_t step = 0;   // iterations done (1-based)
  std::size_t epoch = 0;  // the epoch the step belongs to (1-based)
  // Seconds since the run started, at the end of an epoch; NaN for the
  // per-iteration values (the history times epochs, not iterations).
  double wall_time = std::numeric_limits<double>::quiet_NaN();
  std::string metric;  // "loss", "lr", or an epoch metric's name
  double value = 0;
  bool float32 = false;  // the History holds it as a float (loss and lr)
};

// In order of step; at a step that ends an epoch, loss and lr come first,
// then the epoch's metrics in the order of kEpochMetrics. The averaged
// weights' metrics appear only where they were measured. Steps after the
// last recorded epoch (a run in progress) belong to the epoch after it.
std::vector<Scalar> history_scalars(const History& history);

}  // namespace descent

// Runs a first-order optimizer on a test function: the loop of
// `descent minimize`, in double precision.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "descent/optim/optimizer.hpp"
#include "descent/optim/test_functions.hpp"

namespace descent {

struct MinimizeResult {
  std::vector<double> x;  // the last point
  double f = 0;           // f(x)
  std::size_t steps = 0;  // updates made
  bool diverged = false;  // f or x became NaN or infinite; x is the last finite point
};

// Makes `steps` updates from `start`; update t (0-based) uses learning rate
// lr(t). `on_point(step, f, x)` sees the start (step 0) and the point after
// every update (steps 1..N), with f at that point.
MinimizeResult minimize(
    const TestFunction& function, Optimizer<double>& optimizer, std::vector<double> start,
    std::size_t steps, const std::function<double(std::size_t)>& lr,
    const std::function<void(std::size_t, double, std::span<const double>)>& on_point = {});

}  // namespace descent

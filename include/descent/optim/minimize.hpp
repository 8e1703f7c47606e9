// Runs an optimizer on a test function: the loops of `descent minimize`, in
// double precision. First-order optimizers take a learning rate per step;
// the line-search methods (L-BFGS, nonlinear CG) choose their own steps.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "descent/optim/conjugate_gradient.hpp"
#include "descent/optim/lbfgs.hpp"
#include "descent/optim/line_search_minimizer.hpp"
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

// Minimizes from `x` (in place) with a line-search method (its direction and
// line search from make_line_search_parts, registry.hpp). ShapeError if x
// does not fit the function, ConfigError if it is not finite.
SearchResult minimize_with_line_search(const TestFunction& function,
                                       SearchDirection<double>& direction, std::vector<double>& x,
                                       const LineSearchMinimizerConfig& config,
                                       const IterationCallback<double>& on_iteration = {});

}  // namespace descent

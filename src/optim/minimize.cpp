#include "descent/optim/minimize.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/error.hpp"

namespace descent {

namespace {

bool all_finite(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

void check_start(const TestFunction& function, std::span<const double> start) {
  if (start.size() != function.dim()) {
    throw ShapeError("start: " + function.name() + " in " + std::to_string(function.dim()) +
                     " dimensions needs " + std::to_string(function.dim()) + " coordinates, got " +
                     std::to_string(start.size()));
  }
  if (!all_finite(start)) throw ConfigError("start: every coordinate must be a finite number");
}

}  // namespace

MinimizeResult minimize(
    const TestFunction& function, Optimizer<double>& optimizer, std::vector<double> start,
    std::size_t steps, const std::function<double(std::size_t)>& lr,
    const std::function<void(std::size_t, double, std::span<const double>)>& on_point) {
  check_start(function, start);
  MinimizeResult result;
  result.x = std::move(start);
  std::vector<double> gradient(result.x.size());
  std::vector<double> previous = result.x;
  result.f = function.value_and_gradient(result.x, gradient);
  if (on_point) on_point(0, result.f, result.x);
  for (std::size_t t = 0; t < steps; ++t) {
    if (!std::isfinite(result.f) || !all_finite(gradient)) {
      result.diverged = true;
      break;
    }
    previous = result.x;
    optimizer.step(result.x, gradient, lr(t));
    result.f = function.value_and_gradient(result.x, gradient);
    result.steps = t + 1;
    if (on_point) on_point(t + 1, result.f, result.x);
  }
  if (!std::isfinite(result.f) || !all_finite(result.x)) {
    result.diverged = true;
    if (!all_finite(result.x)) {
      result.x = previous;
      result.f = function.value(previous);
    }
  }
  return result;
}

SearchResult minimize_with_line_search(const TestFunction& function,
                                       SearchDirection<double>& direction, std::vector<double>& x,
                                       const LineSearchMinimizerConfig& config,
                                       const IterationCallback<double>& on_iteration) {
  check_start(function, x);
  const Objective<double> objective = [&function](std::span<const double> point,
                                                  std::span<double> gradient) {
    return function.value_and_gradient(point, gradient);
  };
  return minimize_with_line_search<double>(objective, direction, x, config, on_iteration);
}

}  // namespace descent

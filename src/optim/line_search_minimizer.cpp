#include "descent/optim/line_search_minimizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "descent/core/error.hpp"

namespace descent {

namespace {

template <typename T>
bool all_finite(std::span<const T> v) {
  return std::all_of(v.begin(), v.end(), [](T e) { return std::isfinite(e); });
}

// (f_{k-1} - f_k) / max(|f_{k-1}|, |f_k|, 1)
double relative_decrease(double f_before, double f_after) {
  return (f_before - f_after) / std::max({std::abs(f_before), std::abs(f_after), 1.0});
}

// Three significant digits: enough to read a stopping rule's numbers.
std::string brief(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

}  // namespace

template <typename T>
SearchResult minimize_with_line_search(const Objective<T>& objective,
                                       SearchDirection<T>& direction, std::span<T> x,
                                       const LineSearchMinimizerConfig& config,
                                       const IterationCallback<T>& on_iteration) {
  config.validate();
  if (!all_finite<T>(x)) throw ConfigError("start: every coordinate must be a finite number");
  const StoppingConfig& stop = config.stopping;
  LineSearchIteration<T> iteration(direction, config.line_search, x.size());

  SearchResult result;
  const auto stopped = [&](StopReason reason, std::string message) {
    result.reason = reason;
    result.message = std::move(message);
    return result;
  };
  result.f = iteration.evaluate_at(objective, x);
  result.evaluations = 1;
  result.gradient_norm = iteration.gradient_norm();
  if (!std::isfinite(result.f) || !all_finite(iteration.gradient())) {
    return stopped(StopReason::not_finite, "f or its gradient is not finite at the start");
  }
  double step = 0;
  const auto report = [&] {
    if (on_iteration) {
      on_iteration({result.iterations, result.evaluations, result.f, result.gradient_norm, step,
                    std::span<const T>(x)});
    }
  };
  report();
  double f_prev = result.f;
  for (;;) {
    const double g_limit = stop.gradient_tolerance * std::max(1.0, iteration.x_norm());
    if (result.gradient_norm <= g_limit) {
      return stopped(StopReason::gradient_small, "gradient norm " + brief(result.gradient_norm) +
                                                     " <= " + brief(g_limit));
    }
    if (result.iterations > 0 && relative_decrease(f_prev, result.f) <= stop.f_tolerance) {
      return stopped(StopReason::f_decrease_small,
                     "relative decrease of f " + brief(relative_decrease(f_prev, result.f)) +
                         " <= f-tolerance " + brief(stop.f_tolerance));
    }
    if (result.iterations >= stop.max_iterations) {
      return stopped(StopReason::max_iterations,
                     "reached max-iterations (" + std::to_string(stop.max_iterations) + ")");
    }
    if (result.evaluations >= stop.max_evaluations) {
      return stopped(StopReason::max_evaluations,
                     "reached max-evaluations (" + std::to_string(stop.max_evaluations) + ")");
    }
    const IterationOutcome outcome =
        iteration.iterate(objective, x, stop.max_evaluations - result.evaluations);
    result.evaluations += outcome.evaluations;
    if (outcome.out_of_budget) {
      return stopped(StopReason::max_evaluations,
                     "reached max-evaluations (" + std::to_string(stop.max_evaluations) +
                         ") inside a line search; x is the last iterate");
    }
    if (!outcome.moved()) {
      return stopped(StopReason::line_search_failed,
                     "line search failed at iteration " + std::to_string(result.iterations + 1) +
                         " along -g: " + to_string(outcome.status) + "; x is the best point found");
    }
    f_prev = result.f;
    result.f = iteration.f();
    step = outcome.step;
    ++result.iterations;
    result.gradient_norm = iteration.gradient_norm();
    report();
  }
}

template SearchResult minimize_with_line_search<float>(const Objective<float>&,
                                                       SearchDirection<float>&, std::span<float>,
                                                       const LineSearchMinimizerConfig&,
                                                       const IterationCallback<float>&);
template SearchResult minimize_with_line_search<double>(const Objective<double>&,
                                                        SearchDirection<double>&,
                                                        std::span<double>,
                                                        const LineSearchMinimizerConfig&,
                                                        const IterationCallback<double>&);

}  // namespace descent

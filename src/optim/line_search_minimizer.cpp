#include "descent/optim/line_search_minimizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/optim/span_algebra.hpp"

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
  const std::size_t n = x.size();
  std::vector<T> g(n), x_prev(n), g_prev(n), d(n), s(n), y(n);
  direction.reset(n);
  const std::span<const T> cx = x, cg = g, cd = d;

  SearchResult result;
  const auto stopped = [&](StopReason reason, std::string message) {
    result.reason = reason;
    result.message = std::move(message);
    return result;
  };
  result.f = objective(x, g);
  result.evaluations = 1;
  result.gradient_norm = norm(cg);
  if (!std::isfinite(result.f) || !all_finite(cg)) {
    return stopped(StopReason::not_finite, "f or its gradient is not finite at the start");
  }
  double step = 0;
  const auto report = [&] {
    if (on_iteration) {
      on_iteration({result.iterations, result.evaluations, result.f, result.gradient_norm, step, cx});
    }
  };
  report();
  double f_prev = result.f;
  for (;;) {
    const double g_limit = stop.gradient_tolerance * std::max(1.0, norm(cx));
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
    direction.direction(cg, d);
    double slope = dot(cg, cd);
    if (!(slope < 0)) {  // not a descent direction: start again from -g
      direction.restart();
      direction.direction(cg, d);
      slope = dot(cg, cd);
    }
    std::copy(x.begin(), x.end(), x_prev.begin());
    std::copy(g.begin(), g.end(), g_prev.begin());
    const LineFunction phi = [&](double alpha) {
      for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<T>(x_prev[i] + alpha * d[i]);
      return LinePoint{objective(x, g), dot(cg, cd)};
    };
    const std::size_t budget = std::min(config.line_search.max_evaluations,
                                        stop.max_evaluations - result.evaluations);
    const LineSearchResult line =
        line_search(phi, {result.f, slope}, direction.initial_step(cg, slope),
                    config.line_search, budget);
    result.evaluations += line.evaluations;
    if (line.status != LineSearchStatus::converged) {
      std::copy(x_prev.begin(), x_prev.end(), x.begin());
      std::copy(g_prev.begin(), g_prev.end(), g.begin());
      if (line.status == LineSearchStatus::evaluation_limit &&
          result.evaluations >= stop.max_evaluations) {
        return stopped(StopReason::max_evaluations,
                       "reached max-evaluations (" + std::to_string(stop.max_evaluations) +
                           ") inside a line search; x is the last iterate");
      }
      if (!direction.is_fresh()) {  // try once more along -g
        direction.restart();
        continue;
      }
      return stopped(StopReason::line_search_failed,
                     "line search failed at iteration " + std::to_string(result.iterations + 1) +
                         " along -g: " + to_string(line.status) + "; x is the best point found");
    }
    f_prev = result.f;
    result.f = line.at_step.value;
    result.gradient_norm = norm(cg);
    step = line.step;
    ++result.iterations;
    difference<T>(x, x_prev, s);
    difference<T>(g, g_prev, y);
    direction.update({s, y, line.step, slope});
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

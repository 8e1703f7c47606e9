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

// The sums the loop needs after an accepted step.
struct StepSums {
  double xx = 0, gg = 0, sy = 0, yy = 0;
};

// One pass after the step x_k -> x_{k+1}:
//   s = x - x_prev,  y = g - g_prev,  then x_prev = x, g_prev = g
// with x . x and g . g (the stopping test) and s . y, y . y (L-BFGS's rho and
// gamma), so that no other pass over x or g is needed before the next search.
template <typename T>
StepSums close_step(std::span<const T> x, std::span<const T> g, std::span<T> x_prev,
                    std::span<T> g_prev, std::span<T> s, std::span<T> y) {
  double xx = 0, gg = 0, sy = 0, yy = 0;
  const std::size_t n = x.size();
#pragma omp simd reduction(+ : xx, gg, sy, yy)
  for (std::size_t i = 0; i < n; ++i) {
    const T si = x[i] - x_prev[i];
    const T yi = g[i] - g_prev[i];
    s[i] = si;
    y[i] = yi;
    x_prev[i] = x[i];
    g_prev[i] = g[i];
    xx += static_cast<double>(x[i]) * x[i];
    gg += static_cast<double>(g[i]) * g[i];
    sy += static_cast<double>(si) * yi;
    yy += static_cast<double>(yi) * yi;
  }
  return {xx, gg, sy, yy};
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
  // x_prev and g_prev hold x_k and g_k while the line search moves x and g.
  std::vector<T> g(n), x_prev(n), g_prev(n), d(n);
  direction.reset(n);
  // s and y go where the direction keeps them, or else to buffers of our own.
  std::vector<T> own_s, own_y;
  if (direction.next_pair().s.empty()) {
    own_s.resize(n);
    own_y.resize(n);
  }
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
  double x_norm = norm(cx);
  std::copy(x.begin(), x.end(), x_prev.begin());
  std::copy(g.begin(), g.end(), g_prev.begin());
  // phi(alpha) = f(x_k + alpha d_k), phi'(alpha) = g(x_k + alpha d_k) . d_k
  const LineFunction phi = [&](double alpha) {
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<T>(x_prev[i] + alpha * d[i]);
    return LinePoint{objective(x, g), dot(cg, cd)};
  };
  double f_prev = result.f;
  for (;;) {
    const double g_limit = stop.gradient_tolerance * std::max(1.0, x_norm);
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
    step = line.step;
    ++result.iterations;
    const PairBuffers<T> pair =
        own_s.empty() ? direction.next_pair() : PairBuffers<T>{own_s, own_y};
    const StepSums sums = close_step<T>(x, g, x_prev, g_prev, pair.s, pair.y);
    x_norm = std::sqrt(sums.xx);
    result.gradient_norm = std::sqrt(sums.gg);
    direction.update({pair.s, pair.y, line.step, slope, sums.sy, sums.yy});
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

#include "descent/optim/sum_of_functions_baselines.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/rng.hpp"
#include "descent/optim/lbfgs.hpp"
#include "descent/optim/line_search_minimizer.hpp"

namespace descent {

std::vector<double> lbfgs_full_batch_trace(SumOfFunctions& problem, std::span<const double> x0,
                                           std::size_t evaluations) {
  std::vector<double> trace;
  std::vector<double> part(problem.dim());
  const Objective<double> objective = [&](std::span<const double> x, std::span<double> gradient) {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    double f = 0;
    for (std::size_t i = 0; i < problem.subfunctions(); ++i) {
      f += problem.evaluate(i, x, part);
      for (std::size_t m = 0; m < part.size(); ++m) gradient[m] += part[m];
    }
    trace.push_back(f);
    return f;
  };
  LineSearchMinimizerConfig config;
  config.stopping.gradient_tolerance = 0;
  config.stopping.max_evaluations = evaluations;
  config.stopping.max_iterations = evaluations;
  LbfgsDirection<double> direction;
  std::vector<double> x(x0.begin(), x0.end());
  minimize_with_line_search<double>(objective, direction, x, config);
  return trace;
}

std::vector<double> stochastic_trace(SumOfFunctions& problem, Optimizer<double>& optimizer,
                                     std::span<const double> x0, double lr, std::size_t passes,
                                     std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> x(x0.begin(), x0.end()), gradient(problem.dim());
  std::vector<double> trace = {total_value(problem, x, gradient)};
  const std::size_t n = problem.subfunctions();
  for (std::size_t pass = 0; pass < passes && std::isfinite(trace.back()); ++pass) {
    for (std::size_t t = 0; t < n; ++t) {
      problem.evaluate(rng.below(n), x, gradient);
      optimizer.step(x, gradient, lr);
    }
    trace.push_back(total_value(problem, x, gradient));
  }
  return trace;
}

}  // namespace descent

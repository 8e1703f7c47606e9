// When a line-search minimizer (L-BFGS, nonlinear CG) stops, and the result
// that says which rule stopped it and why.
#pragma once

#include <cstddef>
#include <string>

namespace descent {

struct StoppingConfig {
  // Converged when ||g||_2 <= gradient_tolerance * max(1, ||x||_2) (the test
  // of liblbfgs and LBFGSpp); >= 0, default 1e-5.
  double gradient_tolerance = 1e-5;
  // Converged when the relative decrease of f over one iteration,
  //   (f_{k-1} - f_k) / max(|f_{k-1}|, |f_k|, 1),
  // is <= f_tolerance (scipy's ftol test); >= 0, default 0: only an iteration
  // that does not lower f at all stops the run.
  double f_tolerance = 0;
  // Iterations (line searches accepted) at most; >= 1, default 1000.
  std::size_t max_iterations = 1000;
  // Evaluations of f and its gradient at most, the start's included; a line
  // search is cut short when it would need more; >= 2, default 10000.
  std::size_t max_evaluations = 10000;
  void validate() const;
};

enum class StopReason {
  gradient_small,      // converged: the gradient test
  f_decrease_small,    // converged: the relative-decrease test
  max_iterations,      // the iteration budget is spent
  max_evaluations,     // the evaluation budget is spent
  line_search_failed,  // no acceptable step, even along -g; x is the best point found
  not_finite,          // f or the gradient is not finite at the start
};

// "gradient", "f-decrease", "max-iterations", "max-evaluations",
// "line-search-failed", "not-finite".
std::string to_string(StopReason reason);

struct SearchResult {
  double f = 0;              // f at the returned x, the lowest value found
  double gradient_norm = 0;  // ||g||_2 there
  std::size_t iterations = 0;
  std::size_t evaluations = 0;  // of f and its gradient, the start's included
  StopReason reason = StopReason::max_iterations;
  std::string message;  // one line: the rule's numbers, or what failed and where
  bool converged() const {
    return reason == StopReason::gradient_small || reason == StopReason::f_decrease_small;
  }
};

}  // namespace descent

// The loop shared by L-BFGS and nonlinear conjugate gradients (Nocedal &
// Wright, Algorithms 7.5 and 5.4): the stopping rules, then one iteration
// (line_search_iteration.hpp: a search direction d_k, a line search for
// alpha_k, x_{k+1} = x_k + alpha_k d_k), until a rule stops it.
//
// The objective is a function object f(x, grad) -> f(x) that writes the
// gradient; the loop works in place on the caller's flat buffer x, of float
// or double (sums in double either way). Every buffer is allocated before the
// first iteration.
//
// Failures are results, not exceptions: f not finite at the start, or a line
// search that finds no acceptable step even along -g (say, f returns NaN
// everywhere past the current point). x is then the best point found, which
// is the last accepted iterate, since every accepted step lowers f.
#pragma once

#include <functional>
#include <span>

#include "descent/optim/line_search.hpp"
#include "descent/optim/line_search_iteration.hpp"
#include "descent/optim/search_direction.hpp"
#include "descent/optim/stopping.hpp"

namespace descent {

struct LineSearchMinimizerConfig {
  LineSearchConfig line_search;
  StoppingConfig stopping;
  void validate() const {
    line_search.validate();
    stopping.validate();
  }
};

// What the loop reports after the start (iteration 0) and each iteration.
template <typename T>
struct IterationReport {
  std::size_t iteration = 0;
  std::size_t evaluations = 0;  // so far, the start's included
  double f = 0;
  double gradient_norm = 0;
  double step = 0;  // alpha_k of this iteration (0 at the start)
  std::span<const T> x;
};

template <typename T>
using IterationCallback = std::function<void(const IterationReport<T>&)>;

// Minimizes from x (in place). ConfigError if the config is invalid or x has a
// non-finite coordinate.
template <typename T>
SearchResult minimize_with_line_search(const Objective<T>& objective,
                                       SearchDirection<T>& direction, std::span<T> x,
                                       const LineSearchMinimizerConfig& config,
                                       const IterationCallback<T>& on_iteration = {});

extern template SearchResult minimize_with_line_search<float>(
    const Objective<float>&, SearchDirection<float>&, std::span<float>,
    const LineSearchMinimizerConfig&, const IterationCallback<float>&);
extern template SearchResult minimize_with_line_search<double>(
    const Objective<double>&, SearchDirection<double>&, std::span<double>,
    const LineSearchMinimizerConfig&, const IterationCallback<double>&);

}  // namespace descent

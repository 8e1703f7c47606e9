// The methods SFO is measured against on a sum of functions
// (sum_of_functions.hpp), with their cost counted in passes through the data
// as SFO's is (subfunction evaluations / N):
//   full-batch L-BFGS  minimize_with_line_search with LbfgsDirection (m = 10,
//                      strong Wolfe) on F = sum_i f_i: one evaluation of F
//                      and its gradient is one pass;
//   stochastic         a first-order optimizer (Adam, SGD, ...) stepping on
//                      one subfunction drawn uniformly at random per step, N
//                      steps per pass.
// Each returns F's trace for the caller to read at its checkpoints.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "descent/optim/optimizer.hpp"
#include "descent/optim/sum_of_functions.hpp"

namespace descent {

// F at each of L-BFGS's first `evaluations` evaluations, the start's first;
// shorter if the minimizer stops before (converged, or no step lowers F).
std::vector<double> lbfgs_full_batch_trace(SumOfFunctions& problem, std::span<const double> x0,
                                           std::size_t evaluations);

// F at the start and after each of `passes` passes of `optimizer` (fresh) at
// learning rate lr, on subfunctions drawn by Rng(seed). A non-finite F ends
// the trace there.
std::vector<double> stochastic_trace(SumOfFunctions& problem, Optimizer<double>& optimizer,
                                     std::span<const double> x0, double lr, std::size_t passes,
                                     std::uint64_t seed);

}  // namespace descent

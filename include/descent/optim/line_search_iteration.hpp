// One iteration at a time of a line-search minimizer (L-BFGS, nonlinear CG;
// the loop of line_search_minimizer.hpp), for callers that do other work
// between iterations and must be able to stop and resume between any two: the
// trainer evaluates the network, writes checkpoints and changes the batch.
//
// An iteration from x_k, where f_k and g_k are known:
//   d_k = direction(g_k), or -g_k if d_k is not a descent direction
//   alpha_k from the line search along d_k;  x_{k+1} = x_k + alpha_k d_k
//   the pair s_k = x_{k+1} - x_k, y_k = g_{k+1} - g_k goes to the direction
// (Nocedal & Wright, Algorithms 7.5 and 5.4). A failed line search is retried
// once along -g_k with the history forgotten, as the minimizer does.
//
// The objective may change between iterations (a new batch): evaluate_at()
// then measures f and g of the new objective at the current x. The direction
// keeps its history; every pair (s, y) was measured on one objective, since
// both ends of a line search use the same one.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/optim/line_search.hpp"
#include "descent/optim/line_search_minimizer.hpp"
#include "descent/optim/search_direction.hpp"

namespace descent {

struct IterationOutcome {
  LineSearchStatus status = LineSearchStatus::converged;  // of the last line search
  double step = 0;               // alpha_k; 0 if the iteration failed
  std::size_t evaluations = 0;   // of f and its gradient in this iteration
  bool moved() const { return status == LineSearchStatus::converged; }
};

template <typename T>
class LineSearchIteration {
 public:
  // For n coordinates; every buffer is allocated here. ConfigError for an
  // invalid line-search config.
  LineSearchIteration(std::unique_ptr<SearchDirection<T>> direction, LineSearchConfig config,
                      std::size_t n);

  // f and its gradient at x: the point the next iteration starts from. One
  // evaluation.
  double evaluate_at(const Objective<T>& objective, std::span<const T> x);
  // One iteration from x (in place), which must be where evaluate_at or the
  // last iteration left it. On failure x is unchanged.
  IterationOutcome iterate(const Objective<T>& objective, std::span<T> x);

  bool evaluated() const { return evaluated_; }
  double f() const { return f_; }
  double gradient_norm() const;
  const SearchDirection<T>& direction() const { return *direction_; }

  // f, g, the last direction and the direction's history; x is the caller's.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  std::unique_ptr<SearchDirection<T>> direction_;
  LineSearchConfig config_;
  bool evaluated_ = false;
  double f_ = 0;
  std::vector<T> g_;       // (n) gradient at x
  std::vector<T> d_;       // (n) the last search direction
  std::vector<T> x_prev_;  // (n) x_k during the line search
  std::vector<T> g_prev_;  // (n) g_k during the line search
  std::vector<T> s_;       // (n) x_{k+1} - x_k
  std::vector<T> y_;       // (n) g_{k+1} - g_k
};

extern template class LineSearchIteration<float>;
extern template class LineSearchIteration<double>;

}  // namespace descent

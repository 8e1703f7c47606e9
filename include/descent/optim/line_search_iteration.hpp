// One iteration of a line-search method (L-BFGS, nonlinear CG; Nocedal &
// Wright, Algorithms 7.5 and 5.4), the step that minimize_with_line_search
// (line_search_minimizer.hpp) repeats and that the trainer takes between its
// evaluations and checkpoints. From x_k, where f_k and g_k are known:
//   d_k = direction(g_k), or -g_k if d_k is not a descent direction
//   alpha_k from the line search along d_k;  x_{k+1} = x_k + alpha_k d_k
//   s_k = x_{k+1} - x_k, y_k = g_{k+1} - g_k go to the direction
// A failed line search is retried once along -g_k with the history
// forgotten. After an accepted step one pass over the buffers writes s_k and
// y_k (into the direction's own history when it keeps pairs, as L-BFGS
// does), moves x_k, g_k forward, and sums x.x, g.g, s.y and y.y, so no other
// pass is needed before the next search.
//
// The objective may change between iterations (a new batch): evaluate_at()
// then measures f and g of the new objective at the current x. The direction
// keeps its history; every pair (s, y) was measured on one objective, since
// both ends of a line search use the same one.
#pragma once

#include <functional>
#include <limits>
#include <span>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/optim/line_search.hpp"
#include "descent/optim/search_direction.hpp"

namespace descent {

// f(x), with its gradient written to `gradient` (same length as x).
template <typename T>
using Objective = std::function<double(std::span<const T> x, std::span<T> gradient)>;

struct IterationOutcome {
  LineSearchStatus status = LineSearchStatus::converged;  // of the last line search
  double step = 0;              // alpha_k; 0 if the iteration failed
  std::size_t evaluations = 0;  // of f and its gradient in this iteration
  // The iteration failed because its evaluation budget ran out, not for want
  // of an acceptable step.
  bool out_of_budget = false;
  bool moved() const { return status == LineSearchStatus::converged; }
};

template <typename T>
class LineSearchIteration {
 public:
  // For n coordinates; every buffer is allocated here and the direction is
  // reset. The direction must outlive this object. ConfigError for an invalid
  // line-search config.
  LineSearchIteration(SearchDirection<T>& direction, LineSearchConfig config, std::size_t n);

  // f and its gradient at x: the point the next iteration starts from. One
  // evaluation.
  double evaluate_at(const Objective<T>& objective, std::span<const T> x);
  // One iteration from x (in place), which must be where evaluate_at or the
  // last iteration left it, with at most `budget` evaluations. On failure x
  // is unchanged.
  IterationOutcome iterate(const Objective<T>& objective, std::span<T> x,
                           std::size_t budget = std::numeric_limits<std::size_t>::max());

  bool evaluated() const { return evaluated_; }
  double f() const { return f_; }
  std::span<const T> gradient() const { return g_; }
  double gradient_norm() const { return gradient_norm_; }
  double x_norm() const { return x_norm_; }

  // f, g, the last direction and the direction's history; x is the caller's.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  // x_k, g_k from x and g_ (after evaluate_at or load).
  void start_from(std::span<const T> x);

  SearchDirection<T>& direction_;
  LineSearchConfig config_;
  bool evaluated_ = false;
  bool started_ = false;  // x_prev_, g_prev_ hold x_k, g_k
  double f_ = 0;
  double gradient_norm_ = 0;
  double x_norm_ = 0;
  std::vector<T> g_;       // (n) gradient at x
  std::vector<T> d_;       // (n) the last search direction
  std::vector<T> x_prev_;  // (n) x_k while the line search moves x
  std::vector<T> g_prev_;  // (n) g_k while the line search moves g
  std::vector<T> own_s_;   // (n) s_k, y_k for directions that keep no pairs;
  std::vector<T> own_y_;   //     empty otherwise
};

extern template class LineSearchIteration<float>;
extern template class LineSearchIteration<double>;

}  // namespace descent

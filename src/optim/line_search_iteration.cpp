#include "descent/optim/line_search_iteration.hpp"

#include <algorithm>
#include <cmath>

#include "descent/optim/span_algebra.hpp"

namespace descent {

namespace {

// The sums the next iteration needs, from the pass that closes a step.
struct StepSums {
  double xx = 0, gg = 0, sy = 0, yy = 0;
};

// One pass after the step x_k -> x_{k+1}:
//   s = x - x_prev,  y = g - g_prev,  then x_prev = x, g_prev = g
// with x . x and g . g (the stopping tests) and s . y, y . y (L-BFGS's rho and
// gamma).
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

}  // namespace

template <typename T>
LineSearchIteration<T>::LineSearchIteration(SearchDirection<T>& direction,
                                            LineSearchConfig config, std::size_t n)
    : direction_(direction), config_(config), g_(n), d_(n), x_prev_(n), g_prev_(n) {
  config_.validate();
  direction_.reset(n);
  // s and y go where the direction keeps them, or else to buffers of our own.
  if (direction_.next_pair().s.empty()) {
    own_s_.resize(n);
    own_y_.resize(n);
  }
}

template <typename T>
double LineSearchIteration<T>::evaluate_at(const Objective<T>& objective, std::span<const T> x) {
  f_ = objective(x, g_);
  evaluated_ = true;
  gradient_norm_ = norm<T>(g_);
  start_from(x);
  return f_;
}

template <typename T>
void LineSearchIteration<T>::start_from(std::span<const T> x) {
  std::copy(x.begin(), x.end(), x_prev_.begin());
  std::copy(g_.begin(), g_.end(), g_prev_.begin());
  x_norm_ = norm(x);
  started_ = true;
}

template <typename T>
IterationOutcome LineSearchIteration<T>::iterate(const Objective<T>& objective, std::span<T> x,
                                                 std::size_t budget) {
  if (!started_) start_from(x);
  const std::size_t n = x.size();
  const std::span<const T> cg = g_, cd = d_;
  // phi(alpha) = f(x_k + alpha d_k), phi'(alpha) = g(x_k + alpha d_k) . d_k
  const LineFunction phi = [&](double alpha) {
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<T>(x_prev_[i] + alpha * d_[i]);
    return LinePoint{objective(x, g_), dot(cg, cd)};
  };
  IterationOutcome outcome;
  for (;;) {
    direction_.direction(cg, d_);
    double slope = dot(cg, cd);
    if (!(slope < 0)) {  // not a descent direction: start again from -g
      direction_.restart();
      direction_.direction(cg, d_);
      slope = dot(cg, cd);
    }
    const std::size_t left = budget - outcome.evaluations;
    const LineSearchResult line =
        line_search(phi, {f_, slope}, direction_.initial_step(cg, slope), config_,
                    std::min(config_.max_evaluations, left));
    outcome.evaluations += line.evaluations;
    outcome.status = line.status;
    if (line.status != LineSearchStatus::converged) {
      std::copy(x_prev_.begin(), x_prev_.end(), x.begin());
      std::copy(g_prev_.begin(), g_prev_.end(), g_.begin());
      outcome.out_of_budget =
          line.status == LineSearchStatus::evaluation_limit && outcome.evaluations >= budget;
      if (outcome.out_of_budget || direction_.is_fresh()) return outcome;
      direction_.restart();  // try once more along -g
      continue;
    }
    f_ = line.at_step.value;
    outcome.step = line.step;
    const PairBuffers<T> pair =
        own_s_.empty() ? direction_.next_pair() : PairBuffers<T>{own_s_, own_y_};
    const StepSums sums = close_step<T>(x, g_, x_prev_, g_prev_, pair.s, pair.y);
    x_norm_ = std::sqrt(sums.xx);
    gradient_norm_ = std::sqrt(sums.gg);
    direction_.update({pair.s, pair.y, line.step, slope, sums.sy, sums.yy});
    return outcome;
  }
}

template <typename T>
void LineSearchIteration<T>::save(ByteWriter& out) const {
  out.put<std::uint8_t>(evaluated_ ? 1 : 0);
  out.put<double>(f_);
  out.put_array<T>(g_);
  out.put_array<T>(d_);
  direction_.save(out);
}

template <typename T>
void LineSearchIteration<T>::load(ByteReader& in) {
  evaluated_ = in.get<std::uint8_t>("line search evaluated") != 0;
  f_ = in.get<double>("line search f");
  in.get_into<T>(std::span<T>(g_), "line search gradient");
  in.get_into<T>(std::span<T>(d_), "line search direction");
  direction_.load(in);
  gradient_norm_ = norm<T>(g_);
  started_ = false;
}

template class LineSearchIteration<float>;
template class LineSearchIteration<double>;

}  // namespace descent

#include "descent/optim/line_search_iteration.hpp"

#include <algorithm>
#include <cmath>

#include "descent/optim/span_algebra.hpp"

namespace descent {

template <typename T>
LineSearchIteration<T>::LineSearchIteration(std::unique_ptr<SearchDirection<T>> direction,
                                            LineSearchConfig config, std::size_t n)
    : direction_(std::move(direction)),
      config_(config),
      g_(n),
      d_(n),
      x_prev_(n),
      g_prev_(n),
      s_(n),
      y_(n) {
  config_.validate();
  direction_->reset(n);
}

template <typename T>
double LineSearchIteration<T>::evaluate_at(const Objective<T>& objective, std::span<const T> x) {
  f_ = objective(x, g_);
  evaluated_ = true;
  return f_;
}

template <typename T>
double LineSearchIteration<T>::gradient_norm() const {
  return norm<T>(g_);
}

template <typename T>
IterationOutcome LineSearchIteration<T>::iterate(const Objective<T>& objective, std::span<T> x) {
  const std::size_t n = x.size();
  const std::span<const T> cg = g_, cd = d_;
  IterationOutcome outcome;
  for (;;) {
    direction_->direction(cg, d_);
    double slope = dot(cg, cd);
    if (!(slope < 0)) {  // not a descent direction: start again from -g
      direction_->restart();
      direction_->direction(cg, d_);
      slope = dot(cg, cd);
    }
    std::copy(x.begin(), x.end(), x_prev_.begin());
    std::copy(g_.begin(), g_.end(), g_prev_.begin());
    const LineFunction phi = [&](double alpha) {
      for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<T>(x_prev_[i] + alpha * d_[i]);
      return LinePoint{objective(x, g_), dot(cg, cd)};
    };
    const LineSearchResult line = line_search(phi, {f_, slope}, direction_->initial_step(cg, slope),
                                              config_, config_.max_evaluations);
    outcome.evaluations += line.evaluations;
    outcome.status = line.status;
    if (line.status != LineSearchStatus::converged) {
      std::copy(x_prev_.begin(), x_prev_.end(), x.begin());
      std::copy(g_prev_.begin(), g_prev_.end(), g_.begin());
      if (direction_->is_fresh()) return outcome;
      direction_->restart();  // try once more along -g
      continue;
    }
    f_ = line.at_step.value;
    outcome.step = line.step;
    difference<T>(x, x_prev_, s_);
    difference<T>(g_, g_prev_, y_);
    direction_->update({s_, y_, line.step, slope});
    return outcome;
  }
}

template <typename T>
void LineSearchIteration<T>::save(ByteWriter& out) const {
  out.put<std::uint8_t>(evaluated_ ? 1 : 0);
  out.put<double>(f_);
  out.put_array<T>(g_);
  out.put_array<T>(d_);
  direction_->save(out);
}

template <typename T>
void LineSearchIteration<T>::load(ByteReader& in) {
  evaluated_ = in.get<std::uint8_t>("line search evaluated") != 0;
  f_ = in.get<double>("line search f");
  in.get_into<T>(std::span<T>(g_), "line search gradient");
  in.get_into<T>(std::span<T>(d_), "line search direction");
  direction_->load(in);
}

template class LineSearchIteration<float>;
template class LineSearchIteration<double>;

}  // namespace descent

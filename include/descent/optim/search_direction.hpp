// The part of a line-search minimizer that differs between methods: how the
// search direction d_k comes from the gradient and the steps so far (L-BFGS,
// nonlinear conjugate gradients). The loop that calls it, with its line
// search and stopping rules, is line_search_minimizer.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <string>

#include "descent/core/bytes.hpp"

namespace descent {

// The step just accepted by the line search, for SearchDirection::update.
template <typename T>
struct AcceptedStep {
  std::span<const T> s;  // x_{k+1} - x_k
  std::span<const T> y;  // g_{k+1} - g_k
  double step;           // alpha_k, so s = alpha_k d_k
  double slope;          // g_k . d_k, the slope the line search started from
  // s . y and y . y when the caller has them (the minimizer sums them in the
  // pass that writes s and y); left out, update() computes what it needs.
  std::optional<double> sy = {};
  std::optional<double> yy = {};
};

// Where the minimizer writes the next accepted step's s and y (n numbers each).
template <typename T>
struct PairBuffers {
  std::span<T> s;
  std::span<T> y;
};

template <typename T>
class SearchDirection {
 public:
  virtual ~SearchDirection() = default;
  virtual std::string name() const = 0;
  // Sizes the buffers for n coordinates (no allocation after this) and
  // forgets any history.
  virtual void reset(std::size_t n) = 0;
  // Forgets the history, keeping the buffers: the next direction is -g.
  virtual void restart() = 0;
  // True when the next direction is -g: after reset or restart.
  virtual bool is_fresh() const = 0;
  // d_k from g_k. On entry d holds d_{k-1} (zeros before the first call).
  virtual void direction(std::span<const T> g, std::span<T> d) = 0;
  // The first trial step of the line search along d_k, slope = g_k . d_k < 0.
  virtual double initial_step(std::span<const T> g, double slope) const = 0;
  // Records the step the line search accepted.
  virtual void update(const AcceptedStep<T>& accepted) = 0;
  // Buffers for the next s and y, so that a method that keeps the pairs
  // (L-BFGS) gets them written in place instead of copying them in update();
  // valid until the next update() or reset(). A method returns buffers always
  // or never; never (empty spans, the default): the minimizer uses its own.
  virtual PairBuffers<T> next_pair() { return {}; }
  // The history, for a checkpoint; load() expects what save() of a direction
  // of the same name and size wrote (after reset(n)), and says so if not.
  virtual void save(ByteWriter& out) const = 0;
  virtual void load(ByteReader& in) = 0;
};

// The first trial step along d = -g, with no history to scale it.
enum class FirstStep {
  inverse_l2_norm,  // min(1, 1 / ||g||_2): a first move of at most unit length
                    // (liblbfgs and LBFGSpp, without the min)
  inverse_l1_norm,  // min(1, 1 / ||g||_1), as torch.optim.LBFGS
};

template <typename T>
double first_trial_step(std::span<const T> g, FirstStep rule) {
  double sum = 0;
  if (rule == FirstStep::inverse_l1_norm) {
    for (const T v : g) sum += std::abs(static_cast<double>(v));
  } else {
    for (const T v : g) sum += static_cast<double>(v) * v;
    sum = std::sqrt(sum);
  }
  return std::min(1.0, 1.0 / sum);
}

}  // namespace descent

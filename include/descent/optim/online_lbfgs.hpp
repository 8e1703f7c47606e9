// Online L-BFGS (oLBFGS), Schraudolph, Yu & Guenter 2007, "A Stochastic
// Quasi-Newton Method for Online Convex Optimization", Algorithm 1 with the
// paper's modifications for minibatches. No line search; at step t, with
// g_t = g(theta_t, batch_t):
//   p_t = -H_t g_t by the two-loop recursion over the last k = min(t, m) pairs,
//         with the initial matrix
//           H_t^0 = eps I                                   (t = 0)
//           H_t^0 = (1/k) sum_{i=1..k} s_i . y_i / y_i . y_i  I   (t > 0)
//   eta_t = tau / (tau + t) eta_0                           (the gain schedule)
//   s_t = (eta_t / c) p_t;  theta_{t+1} = theta_t + s_t
//   y_t = g(theta_{t+1}, batch_t) - g(theta_t, batch_t) + lambda s_t
// y_t takes both gradients on the SAME minibatch (observe() receives the
// second), so a step costs two gradient evaluations. eta_0 is step()'s
// learning rate, so a schedule of the trainer multiplies the gain schedule.
// Convention where this differs from the paper: a pair with s . y <= 0 (which
// a non-convex loss can give when lambda = 0) is not stored, as L-BFGS skips
// such pairs; k then counts the pairs stored.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "descent/core/bytes.hpp"

namespace descent {

struct OnlineLbfgsConfig {
  // m: the (s, y) pairs kept; >= 1, default 10 (the paper's experiments use 4 to 50).
  std::size_t history = 10;
  // lambda: y = g' - g + lambda s, a trust-region-like damping; >= 0, default 0.
  double lambda = 0;
  // tau of the gain schedule eta_t = tau / (tau + t) eta_0; > 0, default 1e4.
  double tau = 1e4;
  // c: s_t = (eta_t / c) p_t; > 0, default 1.
  double step_divisor = 1;
  // eps: the first step is -eps eta_0 / c g_0, taken before any curvature is
  // known; > 0, default 1e-4. The paper's 1e-10 suits double precision: in
  // float such a step leaves the parameters unchanged, y is 0, and no pair is
  // ever stored.
  double eps = 1e-4;
  void validate() const;
};

template <typename T>
class OnlineLbfgs {
 public:
  explicit OnlineLbfgs(OnlineLbfgsConfig config = {});
  std::string name() const { return "olbfgs"; }
  const OnlineLbfgsConfig& config() const { return config_; }

  // theta_{t+1} = theta_t + s_t from g_t (its gradient on batch_t) and eta_0.
  // The first call fixes the length; no allocation after it.
  void step(std::span<T> params, std::span<const T> grad, double eta0);
  // The gradient at theta_{t+1} on batch_t: completes the pair (s_t, y_t).
  void observe(std::span<const T> grad_after);

  std::int64_t steps() const { return t_; }
  std::size_t stored() const { return stored_; }

  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  std::span<T> s(std::size_t slot) { return {s_.data() + slot * n_, n_}; }
  std::span<T> y(std::size_t slot) { return {y_.data() + slot * n_, n_}; }
  void init(std::size_t n);

  OnlineLbfgsConfig config_;
  std::size_t n_ = 0;
  std::int64_t t_ = 0;         // steps taken
  std::vector<T> s_;           // (m, n) the pairs' s, a ring of slots
  std::vector<T> y_;           // (m, n) the pairs' y, same slots
  std::vector<double> sy_;     // (m) s . y per slot
  std::vector<double> yy_;     // (m) y . y per slot
  std::vector<double> alpha_;  // (m) the first loop's alpha_i
  std::vector<T> g_;           // (n) g_t, kept for observe()
  std::vector<T> p_;           // (n) p_t, then s_t of the step in progress
  std::size_t newest_ = 0;     // slot of the newest pair
  std::size_t stored_ = 0;     // pairs stored
};

extern template class OnlineLbfgs<float>;
extern template class OnlineLbfgs<double>;

}  // namespace descent

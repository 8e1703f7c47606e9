#include "descent/optim/online_lbfgs.hpp"

#include "descent/core/error.hpp"
#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/span_algebra.hpp"

namespace descent {

void OnlineLbfgsConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
OnlineLbfgs<T>::OnlineLbfgs(OnlineLbfgsConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void OnlineLbfgs<T>::init(std::size_t n) {
  const std::size_t m = config_.history;
  n_ = n;
  s_.assign(m * n, T(0));
  y_.assign(m * n, T(0));
  sy_.assign(m, 0.0);
  yy_.assign(m, 0.0);
  alpha_.assign(m, 0.0);
  g_.assign(n, T(0));
  p_.assign(n, T(0));
  newest_ = m - 1;
}

// Schraudolph, Yu & Guenter 2007, Algorithm 1 (oLBFGS), p_t = -H_t g_t:
//   p = -g_t
//   for i = newest .. oldest:  alpha_i = s_i . p / s_i . y_i;  p -= alpha_i y_i
//   p *= eps (t = 0), else (1/k) sum_i s_i . y_i / y_i . y_i
//   for i = oldest .. newest:  beta = y_i . p / y_i . s_i;  p += (alpha_i - beta) s_i
//   s_t = (eta_t / c) p,  eta_t = tau / (tau + t) eta_0;  theta += s_t
template <typename T>
void OnlineLbfgs<T>::step(std::span<T> params, std::span<const T> grad, double eta0) {
  if (n_ == 0) init(params.size());
  const std::size_t m = config_.history;
  const std::span<const T> p = p_;
  std::copy(grad.begin(), grad.end(), g_.begin());
  for (std::size_t i = 0; i < n_; ++i) p_[i] = -grad[i];
  for (std::size_t k = 0; k < stored_; ++k) {  // newest to oldest
    const std::size_t slot = (newest_ + m - k) % m;
    alpha_[slot] = dot<T>(s(slot), p) / sy_[slot];
    add_scaled<T>(p_, -alpha_[slot], y(slot));
  }
  double scale = config_.eps;
  if (stored_ > 0) {
    double sum = 0;
    for (std::size_t k = 0; k < stored_; ++k) {
      const std::size_t slot = (newest_ + m - k) % m;
      sum += sy_[slot] / yy_[slot];
    }
    scale = sum / static_cast<double>(stored_);
  }
  for (T& v : p_) v = static_cast<T>(scale * v);
  for (std::size_t k = stored_; k-- > 0;) {  // oldest to newest
    const std::size_t slot = (newest_ + m - k) % m;
    const double beta = dot<T>(y(slot), p) / sy_[slot];
    add_scaled<T>(p_, alpha_[slot] - beta, s(slot));
  }
  const double eta = config_.tau / (config_.tau + static_cast<double>(t_)) * eta0;
  const T gain = static_cast<T>(eta / config_.step_divisor);
  for (std::size_t i = 0; i < n_; ++i) {
    p_[i] *= gain;  // now s_t
    params[i] += p_[i];
  }
  ++t_;
}

template <typename T>
void OnlineLbfgs<T>::observe(std::span<const T> grad_after) {
  // y_t is built in g_'s buffer: g_t is not needed after this.
  const T lambda = static_cast<T>(config_.lambda);
  for (std::size_t i = 0; i < n_; ++i) g_[i] = grad_after[i] - g_[i] + lambda * p_[i];
  const std::span<const T> s_new = p_, y_new = g_;
  const double sy = dot(s_new, y_new);
  if (!(sy > 0)) return;  // no positive curvature along s: the pair is not stored
  const std::size_t m = config_.history;
  newest_ = (newest_ + 1) % m;
  std::copy(s_new.begin(), s_new.end(), s(newest_).begin());
  std::copy(y_new.begin(), y_new.end(), y(newest_).begin());
  sy_[newest_] = sy;
  yy_[newest_] = dot(y_new, y_new);
  stored_ = std::min(stored_ + 1, m);
}

template <typename T>
void OnlineLbfgs<T>::save(ByteWriter& out) const {
  out.put<std::int64_t>(t_);
  out.put<std::uint64_t>(n_);
  if (n_ == 0) return;  // no step yet
  out.put<std::uint64_t>(newest_);
  out.put<std::uint64_t>(stored_);
  out.put_array<T>(s_);
  out.put_array<T>(y_);
  out.put_array<double>(sy_);
  out.put_array<double>(yy_);
}

template <typename T>
void OnlineLbfgs<T>::load(ByteReader& in) {
  t_ = in.get<std::int64_t>("olbfgs steps");
  const auto n = in.get<std::uint64_t>("olbfgs size");
  if (n == 0) return;
  init(n);
  newest_ = in.get<std::uint64_t>("olbfgs newest pair");
  stored_ = in.get<std::uint64_t>("olbfgs pairs stored");
  if (newest_ >= config_.history || stored_ > config_.history) {
    in.fail("olbfgs pairs stored", "more than the history m = " + std::to_string(config_.history));
  }
  in.get_into<T>(std::span<T>(s_), "olbfgs s");
  in.get_into<T>(std::span<T>(y_), "olbfgs y");
  in.get_into<double>(std::span<double>(sy_), "olbfgs s.y");
  in.get_into<double>(std::span<double>(yy_), "olbfgs y.y");
}

template class OnlineLbfgs<float>;
template class OnlineLbfgs<double>;

}  // namespace descent

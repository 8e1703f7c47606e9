#include "descent/optim/lbfgs.hpp"

#include <limits>

#include "descent/core/error.hpp"
#include "descent/optim/span_algebra.hpp"

namespace descent {

void LbfgsConfig::validate() const {
  if (history < 1) throw ConfigError("history: expected m >= 1, got 0");
}

template <typename T>
LbfgsDirection<T>::LbfgsDirection(LbfgsConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void LbfgsDirection<T>::reset(std::size_t n) {
  n_ = n;
  s_.assign(config_.history * n, T(0));
  y_.assign(config_.history * n, T(0));
  rho_.assign(config_.history, 0.0);
  alpha_.assign(config_.history, 0.0);
  newest_ = config_.history - 1;
  stored_ = 0;
}

// N&W Algorithm 7.4 (L-BFGS two-loop recursion), with q and then r kept in d:
//   q = g_k
//   for i = k-1, ..., k-m:  alpha_i = rho_i s_i . q;  q = q - alpha_i y_i
//   r = H_k^0 q
//   for i = k-m, ..., k-1:  beta = rho_i y_i . r;  r = r + s_i (alpha_i - beta)
//   d_k = -r
template <typename T>
void LbfgsDirection<T>::direction(std::span<const T> g, std::span<T> d) {
  const std::size_t m = config_.history;
  std::copy(g.begin(), g.end(), d.begin());
  // First loop: newest pair to oldest.
  for (std::size_t k = 0; k < stored_; ++k) {
    const std::size_t slot = (newest_ + m - k) % m;
    alpha_[slot] = rho_[slot] * dot<T>(s(slot), d);
    add_scaled<T>(d, -alpha_[slot], y(slot));
  }
  if (stored_ > 0) {
    for (T& v : d) v = static_cast<T>(gamma_ * v);
  }
  // Second loop: oldest pair to newest.
  for (std::size_t k = stored_; k-- > 0;) {
    const std::size_t slot = (newest_ + m - k) % m;
    const double beta = rho_[slot] * dot<T>(y(slot), d);
    add_scaled<T>(d, alpha_[slot] - beta, s(slot));
  }
  for (T& v : d) v = -v;
}

template <typename T>
double LbfgsDirection<T>::initial_step(std::span<const T> g, double) const {
  return stored_ == 0 ? first_trial_step(g, config_.first_step) : 1.0;
}

template <typename T>
void LbfgsDirection<T>::update(const AcceptedStep<T>& accepted) {
  const double sy = dot(accepted.s, accepted.y);
  const double yy = dot(accepted.y, accepted.y);
  if (!(sy > std::numeric_limits<T>::epsilon() * yy)) return;
  const std::size_t m = config_.history;
  newest_ = (newest_ + 1) % m;
  std::copy(accepted.s.begin(), accepted.s.end(), s(newest_).begin());
  std::copy(accepted.y.begin(), accepted.y.end(), y(newest_).begin());
  rho_[newest_] = 1.0 / sy;
  gamma_ = sy / yy;  // N&W eq. 7.20
  stored_ = std::min(stored_ + 1, m);
}

template class LbfgsDirection<float>;
template class LbfgsDirection<double>;

}  // namespace descent

#include "descent/optim/lbfgs.hpp"

#include <limits>

#include "descent/core/error.hpp"
#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/span_algebra.hpp"

namespace descent {

void LbfgsConfig::validate() const { check_options(optimizer_option_table(), *this); }

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

// N&W Algorithm 7.4 (L-BFGS two-loop recursion):
//   q = g_k
//   for i = k-1, ..., k-m:  alpha_i = rho_i s_i . q;  q = q - alpha_i y_i
//   r = H_k^0 q
//   for i = k-m, ..., k-1:  beta = rho_i y_i . r;  r = r + s_i (alpha_i - beta)
//   d_k = -r
// kept in d as d = -q, then d = -r, so no pass negates at the end:
//   alpha_i = -rho_i s_i . d;  d = d + alpha_i y_i;  beta = -rho_i y_i . d;
//   d = d - s_i (alpha_i - beta).
// Each update of d is fused with the dot product that follows it (the next
// alpha or beta), and the scaling by gamma with the last update of the first
// loop: 2 m + 1 passes over d instead of 4 m + 3.
template <typename T>
void LbfgsDirection<T>::direction(std::span<const T> g, std::span<T> d) {
  const std::size_t m = config_.history;
  // The k-th newest pair's slot, k = 0 .. stored_ - 1.
  const auto slot = [&](std::size_t k) { return (newest_ + m - k) % m; };
  if (stored_ == 0) {
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = -g[i];
    return;
  }
  // First loop: newest pair to oldest.
  double sd = assign_scaled_dot<T>(d, -1.0, g, s(slot(0)));
  for (std::size_t k = 0; k + 1 < stored_; ++k) {
    alpha_[slot(k)] = -rho_[slot(k)] * sd;
    sd = scale_add_dot<T>(d, 1.0, alpha_[slot(k)], y(slot(k)), s(slot(k + 1)));
  }
  const std::size_t oldest = slot(stored_ - 1);
  alpha_[oldest] = -rho_[oldest] * sd;
  // r = gamma q, fused with the oldest pair's last update and its y . r.
  double yd = scale_add_dot<T>(d, gamma_, alpha_[oldest], y(oldest), y(oldest));
  // Second loop: oldest pair to newest.
  for (std::size_t k = stored_; k-- > 1;) {
    const double beta = -rho_[slot(k)] * yd;
    yd = scale_add_dot<T>(d, 1.0, beta - alpha_[slot(k)], s(slot(k)), y(slot(k - 1)));
  }
  const double beta = -rho_[slot(0)] * yd;
  add_scaled<T>(d, beta - alpha_[slot(0)], s(slot(0)));
}

template <typename T>
double LbfgsDirection<T>::initial_step(std::span<const T> g, double) const {
  return stored_ == 0 ? first_trial_step(g, config_.first_step) : 1.0;
}

template <typename T>
PairBuffers<T> LbfgsDirection<T>::next_pair() {
  const std::size_t next = (newest_ + 1) % config_.history;
  return {s(next), y(next)};
}

template <typename T>
void LbfgsDirection<T>::update(const AcceptedStep<T>& accepted) {
  const double sy = accepted.sy ? *accepted.sy : dot(accepted.s, accepted.y);
  const double yy = accepted.yy ? *accepted.yy : dot(accepted.y, accepted.y);
  const std::size_t m = config_.history;
  const std::size_t next = (newest_ + 1) % m;
  if (!(sy > std::numeric_limits<T>::epsilon() * yy)) {
    // Written in place, the pair has overwritten the oldest one when full.
    if (accepted.s.data() == s(next).data() && stored_ == m) --stored_;
    return;
  }
  newest_ = next;
  if (accepted.s.data() != s(newest_).data()) {
    std::copy(accepted.s.begin(), accepted.s.end(), s(newest_).begin());
    std::copy(accepted.y.begin(), accepted.y.end(), y(newest_).begin());
  }
  rho_[newest_] = 1.0 / sy;
  gamma_ = sy / yy;  // N&W eq. 7.20
  stored_ = std::min(stored_ + 1, m);
}

template class LbfgsDirection<float>;
template class LbfgsDirection<double>;

}  // namespace descent

#include "descent/optim/conjugate_gradient.hpp"

#include <algorithm>

#include "descent/optim/span_algebra.hpp"

namespace descent {

template <typename T>
void ConjugateGradientDirection<T>::reset(std::size_t n) {
  restart_every_ = config_.restart_every == 0 ? n : config_.restart_every;
  y_.assign(n, T(0));
  since_restart_ = 0;
}

// N&W eq. 5.44-5.45 (Polak-Ribiere+):
//   beta = max(0, g_{k+1} . y_k / g_k . g_k),  d_{k+1} = -g_{k+1} + beta d_k
template <typename T>
void ConjugateGradientDirection<T>::direction(std::span<const T> g, std::span<T> d) {
  if (since_restart_ >= restart_every_) since_restart_ = 0;
  const double beta =
      since_restart_ == 0 ? 0.0 : std::max(0.0, dot<T>(g, y_) / gg_previous_);
  const T b = static_cast<T>(beta);
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = -g[i] + b * d[i];
  gg_previous_ = dot(g, g);
}

template <typename T>
double ConjugateGradientDirection<T>::initial_step(std::span<const T> g, double slope) const {
  // N&W eq. 3.60: alpha_0 = alpha_{k-1} (g_{k-1} . d_{k-1}) / (g_k . d_k)
  return since_restart_ == 0 ? first_trial_step(g, FirstStep::inverse_l2_norm) : first_order_change_ / slope;
}

template <typename T>
void ConjugateGradientDirection<T>::update(const AcceptedStep<T>& accepted) {
  std::copy(accepted.y.begin(), accepted.y.end(), y_.begin());
  first_order_change_ = accepted.step * accepted.slope;
  ++since_restart_;
}

template class ConjugateGradientDirection<float>;
template class ConjugateGradientDirection<double>;

}  // namespace descent

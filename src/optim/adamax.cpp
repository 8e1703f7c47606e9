#include "descent/optim/adamax.hpp"

#include <algorithm>
#include <cmath>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void AdamaxConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
Adamax<T>::Adamax(AdamaxConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Adamax<T>::init_state(std::size_t n) {
  m_.assign(n, T(0));
  u_.assign(n, T(0));
}

template <typename T>
void Adamax<T>::save_state(ByteWriter& out) const {
  out.put_array<T>(m_);
  out.put_array<T>(u_);
}

template <typename T>
void Adamax<T>::load_state(ByteReader& in, std::size_t n) {
  load_buffer(in, m_, n, "adamax m");
  load_buffer(in, u_, n, "adamax u");
}

template <typename T>
void Adamax<T>::update(const Slice<T>& s) {
  const T beta1 = static_cast<T>(config_.beta1);
  const T beta2 = static_cast<T>(config_.beta2);
  const T one_minus_beta1 = static_cast<T>(1 - config_.beta1);
  const T bias1 = static_cast<T>(1 - std::pow(config_.beta1, static_cast<double>(s.t)));
  const T eps = static_cast<T>(config_.eps);
  T* m = m_.data() + s.offset;
  T* u = u_.data() + s.offset;
  // Kingma & Ba 2015, Algorithm 2, with torch's eps:
  //   m = beta1*m + (1-beta1)*dw
  //   u = max(beta2*u, |dw| + eps)
  //   w -= learning_rate / (1-beta1**t) * m / u
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.grad(i);
    m[i] = beta1 * m[i] + one_minus_beta1 * dw;
    u[i] = std::max(beta2 * u[i], std::abs(dw) + eps);
    s.w[i] -= s.lr / bias1 * (m[i] / u[i]);
  });
}

template class Adamax<float>;
template class Adamax<double>;

}  // namespace descent

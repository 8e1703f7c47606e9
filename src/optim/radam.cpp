#include "descent/optim/radam.hpp"

#include <cmath>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void RAdamConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
RAdam<T>::RAdam(RAdamConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void RAdam<T>::init_state(std::size_t n) {
  m_.assign(n, T(0));
  v_.assign(n, T(0));
}

template <typename T>
void RAdam<T>::save_state(ByteWriter& out) const {
  out.put_array<T>(m_);
  out.put_array<T>(v_);
}

template <typename T>
void RAdam<T>::load_state(ByteReader& in, std::size_t n) {
  load_buffer(in, m_, n, "radam m");
  load_buffer(in, v_, n, "radam v");
}

template <typename T>
void RAdam<T>::update(const Slice<T>& s) {
  const auto t = static_cast<double>(s.t);
  const double beta2_t = std::pow(config_.beta2, t);
  const double rho_inf = 2 / (1 - config_.beta2) - 1;
  const double rho_t = rho_inf - 2 * t * beta2_t / (1 - beta2_t);
  const T beta1 = static_cast<T>(config_.beta1);
  const T beta2 = static_cast<T>(config_.beta2);
  const T one_minus_beta1 = static_cast<T>(1 - config_.beta1);
  const T one_minus_beta2 = static_cast<T>(1 - config_.beta2);
  const T bias1 = static_cast<T>(1 - std::pow(config_.beta1, t));
  const T eps = static_cast<T>(config_.eps);
  T* m = m_.data() + s.offset;
  T* v = v_.data() + s.offset;
  // Liu et al. 2020, Algorithm 2, with torch's eps:
  //   m = beta1*m + (1-beta1)*dw
  //   v = beta2*v + (1-beta2)*(dw**2)
  //   m_hat = m / (1-beta1**t)
  //   if rho_t > 5:
  //     l = sqrt(1-beta2**t) / (sqrt(v) + eps)
  //     r = sqrt((rho_t-4)*(rho_t-2)*rho_inf / ((rho_inf-4)*(rho_inf-2)*rho_t))
  //     w -= learning_rate * r * m_hat * l
  //   else:
  //     w -= learning_rate * m_hat
  if (rho_t > 5) {
    const T sqrt_bias2 = static_cast<T>(std::sqrt(1 - beta2_t));
    const T r = static_cast<T>(
        std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)));
    for_each_index(s.w.size(), [=](std::size_t i) {
      const T dw = s.grad(i);
      m[i] = beta1 * m[i] + one_minus_beta1 * dw;
      v[i] = beta2 * v[i] + one_minus_beta2 * (dw * dw);
      const T m_hat = m[i] / bias1;
      const T l = sqrt_bias2 / (std::sqrt(v[i]) + eps);
      s.w[i] -= s.lr * r * m_hat * l;
    });
  } else {
    for_each_index(s.w.size(), [=](std::size_t i) {
      const T dw = s.grad(i);
      m[i] = beta1 * m[i] + one_minus_beta1 * dw;
      v[i] = beta2 * v[i] + one_minus_beta2 * (dw * dw);
      const T m_hat = m[i] / bias1;
      s.w[i] -= s.lr * m_hat;
    });
  }
}

template class RAdam<float>;
template class RAdam<double>;

}  // namespace descent

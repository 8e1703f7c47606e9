#include "descent/optim/adam.hpp"

#include <cmath>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void AdamConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
Adam<T>::Adam(AdamConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Adam<T>::init_state(std::size_t n) {
  m_.assign(n, T(0));
  v_.assign(n, T(0));
}

template <typename T>
void Adam<T>::save_state(ByteWriter& out) const {
  out.put_array<T>(m_);
  out.put_array<T>(v_);
}

template <typename T>
void Adam<T>::load_state(ByteReader& in, std::size_t n) {
  load_buffer(in, m_, n, "adam m");
  load_buffer(in, v_, n, "adam v");
}

template <typename T>
void Adam<T>::update(const Slice<T>& s) {
  const auto t = static_cast<double>(s.t);
  const T beta1 = static_cast<T>(config_.beta1);
  const T beta2 = static_cast<T>(config_.beta2);
  const T one_minus_beta1 = static_cast<T>(1 - config_.beta1);
  const T one_minus_beta2 = static_cast<T>(1 - config_.beta2);
  const T bias1 = static_cast<T>(1 - std::pow(config_.beta1, t));
  const T bias2 = static_cast<T>(1 - std::pow(config_.beta2, t));
  const T eps = static_cast<T>(config_.eps);
  T* m = m_.data() + s.offset;
  T* v = v_.data() + s.offset;
  // Kingma & Ba 2015, Algorithm 1; cs231n notes, "Adam":
  //   m = beta1*m + (1-beta1)*dw
  //   v = beta2*v + (1-beta2)*(dw**2)
  //   m_hat = m / (1-beta1**t)
  //   v_hat = v / (1-beta2**t)
  //   w -= learning_rate * m_hat / (sqrt(v_hat) + eps)
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.grad(i);
    m[i] = beta1 * m[i] + one_minus_beta1 * dw;
    v[i] = beta2 * v[i] + one_minus_beta2 * (dw * dw);
    const T m_hat = m[i] / bias1;
    const T v_hat = v[i] / bias2;
    s.w[i] -= s.lr * m_hat / (std::sqrt(v_hat) + eps);
  });
}

template class Adam<float>;
template class Adam<double>;

}  // namespace descent

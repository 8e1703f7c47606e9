#include "descent/optim/adamw.hpp"

#include <cmath>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void AdamWConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
AdamW<T>::AdamW(AdamWConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void AdamW<T>::init_state(std::size_t n) {
  m_.assign(n, T(0));
  v_.assign(n, T(0));
}

template <typename T>
void AdamW<T>::save_state(ByteWriter& out) const {
  out.put_array<T>(m_);
  out.put_array<T>(v_);
}

template <typename T>
void AdamW<T>::load_state(ByteReader& in, std::size_t n) {
  load_buffer(in, m_, n, "adamw m");
  load_buffer(in, v_, n, "adamw v");
}

template <typename T>
void AdamW<T>::update(const Slice<T>& s) {
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
  // Loshchilov & Hutter 2019, Algorithm 2, with torch's lr-scaled decay
  // (s.weight_decay is this group's):
  //   w -= learning_rate * weight_decay * w
  //   m = beta1*m + (1-beta1)*dw        (dw without weight decay)
  //   v = beta2*v + (1-beta2)*(dw**2)
  //   m_hat = m / (1-beta1**t)
  //   v_hat = v / (1-beta2**t)
  //   w -= learning_rate * m_hat / (sqrt(v_hat) + eps)
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.clipped_grad(i);
    s.w[i] -= s.lr * s.weight_decay * s.w[i];
    m[i] = beta1 * m[i] + one_minus_beta1 * dw;
    v[i] = beta2 * v[i] + one_minus_beta2 * (dw * dw);
    const T m_hat = m[i] / bias1;
    const T v_hat = v[i] / bias2;
    s.w[i] -= s.lr * m_hat / (std::sqrt(v_hat) + eps);
  });
}

template class AdamW<float>;
template class AdamW<double>;

}  // namespace descent

#include "descent/optim/nadam.hpp"

#include <cmath>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void NAdamConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
NAdam<T>::NAdam(NAdamConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void NAdam<T>::init_state(std::size_t n) {
  m_.assign(n, T(0));
  v_.assign(n, T(0));
  mu_product_ = 1;
  mu_product_t_ = 0;
}

template <typename T>
void NAdam<T>::save_state(ByteWriter& out) const {
  out.put_array<T>(m_);
  out.put_array<T>(v_);
  out.put<double>(mu_product_);
  out.put<std::int64_t>(mu_product_t_);
}

template <typename T>
void NAdam<T>::load_state(ByteReader& in, std::size_t n) {
  load_buffer(in, m_, n, "nadam m");
  load_buffer(in, v_, n, "nadam v");
  mu_product_ = in.get<double>("nadam mu product");
  mu_product_t_ = in.get<std::int64_t>("nadam mu product step");
  if (!(mu_product_ >= 0 && mu_product_ <= 1)) in.fail("nadam mu product", "not in [0, 1]");
  if (mu_product_t_ < 0) in.fail("nadam mu product step", "negative");
}

template <typename T>
double NAdam<T>::mu(std::int64_t t) const {
  return config_.beta1 *
         (1 - 0.5 * std::pow(0.96, static_cast<double>(t) * config_.momentum_decay));
}

template <typename T>
void NAdam<T>::update(const Slice<T>& s) {
  if (mu_product_t_ != s.t) {
    mu_product_ *= mu(s.t);
    mu_product_t_ = s.t;
  }
  const double mu_t = mu(s.t);
  const double mu_next = mu(s.t + 1);
  const T beta1 = static_cast<T>(config_.beta1);
  const T beta2 = static_cast<T>(config_.beta2);
  const T one_minus_beta1 = static_cast<T>(1 - config_.beta1);
  const T one_minus_beta2 = static_cast<T>(1 - config_.beta2);
  const T m_weight = static_cast<T>(mu_next / (1 - mu_product_ * mu_next));
  const T dw_weight = static_cast<T>((1 - mu_t) / (1 - mu_product_));
  const T bias2 = static_cast<T>(1 - std::pow(config_.beta2, static_cast<double>(s.t)));
  const T eps = static_cast<T>(config_.eps);
  T* m = m_.data() + s.offset;
  T* v = v_.data() + s.offset;
  // Dozat 2016, Algorithm 2, with torch's schedule for mu_t:
  //   m = beta1*m + (1-beta1)*dw
  //   v = beta2*v + (1-beta2)*(dw**2)
  //   m_hat = mu_{t+1}*m / (1 - prod_{i<=t+1} mu_i) + (1-mu_t)*dw / (1 - prod_{i<=t} mu_i)
  //   v_hat = v / (1-beta2**t)
  //   w -= learning_rate * m_hat / (sqrt(v_hat) + eps)
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.grad(i);
    m[i] = beta1 * m[i] + one_minus_beta1 * dw;
    v[i] = beta2 * v[i] + one_minus_beta2 * (dw * dw);
    const T m_hat = m_weight * m[i] + dw_weight * dw;
    const T v_hat = v[i] / bias2;
    s.w[i] -= s.lr * m_hat / (std::sqrt(v_hat) + eps);
  });
}

template class NAdam<float>;
template class NAdam<double>;

}  // namespace descent

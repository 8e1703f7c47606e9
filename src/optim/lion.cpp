#include "descent/optim/lion.hpp"

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void LionConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
Lion<T>::Lion(LionConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Lion<T>::update(const Slice<T>& s) {
  const T beta1 = static_cast<T>(config_.beta1);
  const T beta2 = static_cast<T>(config_.beta2);
  const T one_minus_beta1 = static_cast<T>(1 - config_.beta1);
  const T one_minus_beta2 = static_cast<T>(1 - config_.beta2);
  T* m = m_.data() + s.offset;
  // Chen et al. 2023, Algorithm 2 (s.weight_decay is this group's):
  //   c = beta1*m + (1-beta1)*dw
  //   w -= learning_rate * (sign(c) + weight_decay * w)
  //   m = beta2*m + (1-beta2)*dw
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.clipped_grad(i);
    const T c = beta1 * m[i] + one_minus_beta1 * dw;
    const T sign_c = static_cast<T>((T(0) < c) - (c < T(0)));
    s.w[i] -= s.lr * (sign_c + s.weight_decay * s.w[i]);
    m[i] = beta2 * m[i] + one_minus_beta2 * dw;
  });
}

template class Lion<float>;
template class Lion<double>;

}  // namespace descent

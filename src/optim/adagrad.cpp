#include "descent/optim/adagrad.hpp"

#include <cmath>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void AdagradConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
Adagrad<T>::Adagrad(AdagradConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Adagrad<T>::update(const Slice<T>& s) {
  const T eps = static_cast<T>(config_.eps);
  T* cache = cache_.data() + s.offset;
  // cs231n notes, "Adagrad":
  //   cache += dw^2
  //   w -= learning_rate * dw / (sqrt(cache) + eps)
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.grad(i);
    cache[i] += dw * dw;
    s.w[i] -= s.lr * (dw / (std::sqrt(cache[i]) + eps));
  });
}

template class Adagrad<float>;
template class Adagrad<double>;

}  // namespace descent

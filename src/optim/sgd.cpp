#include "descent/optim/sgd.hpp"

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void SgdConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
Sgd<T>::Sgd(SgdConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Sgd<T>::update(const Slice<T>& s) {
  // w = w - learning_rate * dw
  for_each_index(s.w.size(), [=](std::size_t i) { s.w[i] -= s.lr * s.grad(i); });
}

template class Sgd<float>;
template class Sgd<double>;

}  // namespace descent

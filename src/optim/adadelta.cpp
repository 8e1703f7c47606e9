#include "descent/optim/adadelta.hpp"

#include <cmath>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void AdadeltaConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
Adadelta<T>::Adadelta(AdadeltaConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Adadelta<T>::init_state(std::size_t n) {
  mean_g2_.assign(n, T(0));
  mean_dx2_.assign(n, T(0));
}

template <typename T>
void Adadelta<T>::update(const Slice<T>& s) {
  const T rho = static_cast<T>(config_.rho);
  const T fresh = static_cast<T>(1 - config_.rho);
  const T eps = static_cast<T>(config_.eps);
  T* eg2 = mean_g2_.data() + s.offset;
  T* edx2 = mean_dx2_.data() + s.offset;
  // Zeiler 2012, Algorithm 1, with torch.optim.Adadelta's learning rate:
  //   E[g^2] = rho * E[g^2] + (1 - rho) * dw^2
  //   dx = sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * dw
  //   E[dx^2] = rho * E[dx^2] + (1 - rho) * dx^2
  //   w -= learning_rate * dx
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.grad(i);
    eg2[i] = rho * eg2[i] + fresh * dw * dw;
    const T dx = std::sqrt(edx2[i] + eps) / std::sqrt(eg2[i] + eps) * dw;
    edx2[i] = rho * edx2[i] + fresh * dx * dx;
    s.w[i] -= s.lr * dx;
  });
}

template <typename T>
void Adadelta<T>::save_state(ByteWriter& out) const {
  out.put_array<T>(mean_g2_);
  out.put_array<T>(mean_dx2_);
}

template <typename T>
void Adadelta<T>::load_state(ByteReader& in, std::size_t n) {
  load_buffer(in, mean_g2_, n, "adadelta E[g^2]");
  load_buffer(in, mean_dx2_, n, "adadelta E[dx^2]");
}

template class Adadelta<float>;
template class Adadelta<double>;

}  // namespace descent

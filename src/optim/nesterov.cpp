#include "descent/optim/nesterov.hpp"

#include <cstdint>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void NesterovConfig::validate() const {
  check_options(optimizer_option_table(), *this);
  if (dampening != 0) {
    throw ConfigError("dampening: Nesterov momentum requires 0 (as torch.optim.SGD), got " +
                      shortest(dampening));
  }
}

template <typename T>
Nesterov<T>::Nesterov(NesterovConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Nesterov<T>::update(const Slice<T>& s) {
  const T mu = static_cast<T>(config_.momentum);
  T* v = velocity_.data() + s.offset;
  if (config_.convention == MomentumConvention::notes) {
    // cs231n notes, "Nesterov Momentum":
    //   v_prev = v
    //   v = mu * v - learning_rate * dw
    //   w += -mu * v_prev + (1 + mu) * v
    for_each_index(s.w.size(), [=](std::size_t i) {
      const T v_prev = v[i];
      v[i] = mu * v[i] - s.lr * s.grad(i);
      s.w[i] += -mu * v_prev + (1 + mu) * v[i];
    });
    return;
  }
  // torch.optim.SGD(momentum=mu, nesterov=True), with buf = v:
  //   buf = dw                     (first step)
  //   buf = mu * buf + dw          (later steps)
  //   w -= learning_rate * (dw + mu * buf)
  // buf starts at 0, so the first step is the second line with keep = 0.
  const T keep = s.t == 1 ? T(0) : mu;
  for_each_index(s.w.size(), [=](std::size_t i) {
    const T dw = s.grad(i);
    v[i] = keep * v[i] + dw;
    s.w[i] -= s.lr * (dw + mu * v[i]);
  });
}

// The convention is saved with the buffer: a notes velocity read as a torch
// buffer would be off by a factor of the learning rate.
template <typename T>
void Nesterov<T>::save_state(ByteWriter& out) const {
  out.put<std::uint8_t>(static_cast<std::uint8_t>(config_.convention));
  out.put_array<T>(velocity_);
}

template <typename T>
void Nesterov<T>::load_state(ByteReader& in, std::size_t n) {
  const auto stored = in.get<std::uint8_t>("nesterov convention");
  if (stored != static_cast<std::uint8_t>(config_.convention)) {
    in.fail("nesterov convention",
            "the state was saved by another convention than " + to_string(config_.convention));
  }
  load_buffer(in, velocity_, n, "nesterov velocity");
}

template class Nesterov<float>;
template class Nesterov<double>;

}  // namespace descent

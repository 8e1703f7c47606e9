#include "descent/optim/momentum.hpp"

#include <cstdint>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

std::string to_string(MomentumConvention convention) {
  return convention == MomentumConvention::notes ? "notes" : "torch";
}

void MomentumConfig::validate() const {
  check_options(optimizer_option_table(), *this);
  if (dampening != 0 && convention != MomentumConvention::torch) {
    throw ConfigError("dampening: only the torch momentum convention has dampening, got " +
                      shortest(dampening) + " with momentum-convention " + to_string(convention));
  }
}

template <typename T>
Momentum<T>::Momentum(MomentumConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Momentum<T>::update(const Slice<T>& s) {
  const T mu = static_cast<T>(config_.momentum);
  T* v = velocity_.data() + s.offset;
  if (config_.convention == MomentumConvention::notes) {
    // cs231n notes, "Momentum update":
    //   v = mu * v - learning_rate * dw
    //   w += v
    for_each_index(s.w.size(), [=](std::size_t i) {
      v[i] = mu * v[i] - s.lr * s.grad(i);
      s.w[i] += v[i];
    });
    return;
  }
  // torch.optim.SGD(momentum=mu, dampening=dampening), with buf = v:
  //   buf = dw                                   (first step)
  //   buf = mu * buf + (1 - dampening) * dw      (later steps)
  //   w -= learning_rate * buf
  // buf starts at 0, so the first step is the second line with keep = 0 and
  // take = 1; with mu = 0 torch skips the buffer, which take = 1 reproduces.
  const bool first = s.t == 1;
  const T keep = first ? T(0) : mu;
  const T take = first || config_.momentum == 0 ? T(1) : static_cast<T>(1 - config_.dampening);
  for_each_index(s.w.size(), [=](std::size_t i) {
    v[i] = keep * v[i] + take * s.grad(i);
    s.w[i] -= s.lr * v[i];
  });
}

// The convention is saved with the buffer: a notes velocity read as a torch
// buffer would be off by a factor of the learning rate.
template <typename T>
void Momentum<T>::save_state(ByteWriter& out) const {
  out.put<std::uint8_t>(static_cast<std::uint8_t>(config_.convention));
  out.put_array<T>(velocity_);
}

template <typename T>
void Momentum<T>::load_state(ByteReader& in, std::size_t n) {
  const auto stored = in.get<std::uint8_t>("momentum convention");
  if (stored != static_cast<std::uint8_t>(config_.convention)) {
    in.fail("momentum convention",
            "the state was saved by another convention than " + to_string(config_.convention));
  }
  load_buffer(in, velocity_, n, "momentum velocity");
}

template class Momentum<float>;
template class Momentum<double>;

}  // namespace descent

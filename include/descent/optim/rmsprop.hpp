// RMSProp (Tieleman and Hinton 2012, lecture 6e; cs231n notes, "RMSprop"):
//   cache = decay_rate * cache + (1 - decay_rate) * dw^2
//   w -= learning_rate * dw / (sqrt(cache) + eps)
// with torch.optim.RMSprop's two options (alpha there is decay_rate here):
//   centered: g_avg = decay_rate * g_avg + (1 - decay_rate) * dw, and the
//     denominator becomes sqrt(cache - g_avg^2) + eps (a variance, not a raw
//     second moment; Graves 2013)
//   momentum mu > 0: buf = mu * buf + dw / denominator; w -= learning_rate * buf
// eps sits outside the square root, as in the notes and torch (Keras 1 and
// tiny-dnn put it inside). Defaults are the notes': decay_rate 0.99, eps 1e-8.
// With weight decay, dw includes weight_decay * w (L2 added to the gradient).
#pragma once

#include <string>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct RmspropConfig {
  double decay_rate = 0.99;  // in [0, 1)
  double eps = 1e-8;         // > 0
  bool centered = false;
  double momentum = 0;      // mu, in [0, 1); 0: no momentum buffer
  double weight_decay = 0;  // >= 0
  void validate() const;
};

template <typename T>
class Rmsprop final : public Optimizer<T> {
 public:
  explicit Rmsprop(RmspropConfig config = {});
  std::string name() const override { return "rmsprop"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  // "cache", and "grad_avg" if centered, "momentum_buffer" if momentum > 0.
  std::vector<StateBuffer<T>> state_buffers() override;

 private:
  RmspropConfig config_;
  std::vector<T> cache_;     // (n): running mean of dw^2
  std::vector<T> grad_avg_;  // (n) if centered, else empty: running mean of dw
  std::vector<T> buffer_;    // (n) if momentum > 0, else empty
};

extern template class Rmsprop<float>;
extern template class Rmsprop<double>;

}  // namespace descent

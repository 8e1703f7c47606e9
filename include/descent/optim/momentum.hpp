// SGD with momentum (cs231n notes, "Momentum update"), in one of two
// conventions that agree while the learning rate is constant and differ once
// it changes:
//   notes (default): the velocity carries the learning rate,
//     v = mu * v - learning_rate * dw
//     w += v
//   torch (torch.optim.SGD): the buffer does not,
//     buf = dw at the first step, then buf = mu * buf + (1 - dampening) * dw
//     w -= learning_rate * buf
// With a constant learning rate v = -learning_rate * buf. When it drops (a
// schedule), notes keeps moving at the old rate until v decays, torch moves at
// the new rate at once. Dampening exists only in the torch convention, and as
// in torch it has no effect when mu = 0 (plain SGD).
// With weight decay, dw includes weight_decay * w (L2 added to the gradient).
#pragma once

#include <string>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

enum class MomentumConvention { notes, torch };

// "notes" or "torch".
std::string to_string(MomentumConvention convention);

struct MomentumConfig {
  double momentum = 0.9;  // mu, in [0, 1)
  double dampening = 0;   // in [0, 1); torch convention only
  MomentumConvention convention = MomentumConvention::notes;
  double weight_decay = 0;  // >= 0
  void validate() const;
};

template <typename T>
class Momentum final : public Optimizer<T> {
 public:
  explicit Momentum(MomentumConfig config = {});
  std::string name() const override { return "momentum"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override { velocity_.assign(n, T(0)); }
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"velocity", velocity_}}; }

 private:
  MomentumConfig config_;
  std::vector<T> velocity_;  // (n): v in the notes convention, buf in torch's
};

extern template class Momentum<float>;
extern template class Momentum<double>;

}  // namespace descent

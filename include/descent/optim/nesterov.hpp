// Nesterov momentum (cs231n notes, "Nesterov Momentum", the form that keeps
// the usual parameters w rather than the look-ahead point), in one of two
// conventions that agree while the learning rate is constant:
//   notes (default): the velocity carries the learning rate,
//     v_prev = v
//     v = mu * v - learning_rate * dw
//     w += -mu * v_prev + (1 + mu) * v
//   torch (torch.optim.SGD with nesterov=True): the buffer does not,
//     buf = dw at the first step, then buf = mu * buf + dw
//     w -= learning_rate * (dw + mu * buf)
// With a constant learning rate v = -learning_rate * buf. Dampening must be 0,
// as torch requires for Nesterov momentum; it is a field only so that the
// option reads as in torch's SGD and is refused with a reason.
// With weight decay, dw includes weight_decay * w (L2 added to the gradient).
#pragma once

#include <string>
#include <vector>

#include "descent/optim/momentum.hpp"
#include "descent/optim/optimizer.hpp"

namespace descent {

struct NesterovConfig {
  double momentum = 0.9;  // mu, in [0, 1)
  double dampening = 0;   // must be 0
  MomentumConvention convention = MomentumConvention::notes;
  double weight_decay = 0;  // >= 0
  void validate() const;
};

template <typename T>
class Nesterov final : public Optimizer<T> {
 public:
  explicit Nesterov(NesterovConfig config = {});
  std::string name() const override { return "nesterov"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override { velocity_.assign(n, T(0)); }
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"velocity", velocity_}}; }

 private:
  NesterovConfig config_;
  std::vector<T> velocity_;  // (n): v in the notes convention, buf in torch's
};

extern template class Nesterov<float>;
extern template class Nesterov<double>;

}  // namespace descent

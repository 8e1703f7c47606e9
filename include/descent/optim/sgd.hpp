// Vanilla stochastic gradient descent (cs231n notes, "Vanilla update"):
//   w <- w - learning_rate * dw
// With weight decay, dw includes weight_decay * w (L2 added to the gradient).
#pragma once

#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct SgdConfig {
  double weight_decay = 0;
  void validate() const;
};

template <typename T>
class Sgd final : public Optimizer<T> {
 public:
  explicit Sgd(SgdConfig config = {});
  std::string name() const override { return "sgd"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t) override {}
  void save_state(ByteWriter&) const override {}
  void load_state(ByteReader&, std::size_t) override {}
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {}; }

 private:
  SgdConfig config_;
};

extern template class Sgd<float>;
extern template class Sgd<double>;

}  // namespace descent

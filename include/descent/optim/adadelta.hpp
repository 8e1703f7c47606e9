// AdaDelta (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method",
// Algorithm 1), as torch.optim.Adadelta, which scales the step by a learning
// rate (1 in the paper, and here by default):
//   E[g^2] = rho * E[g^2] + (1 - rho) * dw^2
//   dx = sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * dw
//   E[dx^2] = rho * E[dx^2] + (1 - rho) * dx^2
//   w -= learning_rate * dx
// eps sits inside both square roots, as in the paper and torch (unlike
// Adagrad and RMSProp). E[dx^2] holds the unscaled dx, as torch's acc_delta.
// With weight decay, dw includes weight_decay * w (L2 added to the gradient).
#pragma once

#include <string>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct AdadeltaConfig {
  double rho = 0.9;         // decay of both running means, in [0, 1)
  double eps = 1e-6;        // > 0
  double weight_decay = 0;  // >= 0
  void validate() const;
};

template <typename T>
class Adadelta final : public Optimizer<T> {
 public:
  explicit Adadelta(AdadeltaConfig config = {});
  std::string name() const override { return "adadelta"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override {
    return {{"mean_g2", mean_g2_}, {"mean_dx2", mean_dx2_}};
  }

 private:
  AdadeltaConfig config_;
  std::vector<T> mean_g2_;   // (n): E[g^2]
  std::vector<T> mean_dx2_;  // (n): E[dx^2]
};

extern template class Adadelta<float>;
extern template class Adadelta<double>;

}  // namespace descent

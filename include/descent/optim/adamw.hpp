// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled
// Weight Decay Regularization", Algorithm 2), as torch.optim.AdamW:
//   w -= learning_rate * weight_decay * w
//   then Adam (see adam.hpp) on the gradient without the decay term.
// Conventions where implementations differ:
//   - the decay is multiplied by the learning rate, as torch (the paper scales
//     it by the schedule multiplier eta_t alone), and applied before the Adam
//     step, to the weights the gradient was taken at;
//   - the default weight decay is torch's 1e-2;
//   - bias correction and eps outside the square root, as Adam.
#pragma once

#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct AdamWConfig {
  double beta1 = 0.9;          // decay of the first moment m; in [0, 1)
  double beta2 = 0.999;        // decay of the second moment v; in [0, 1)
  double eps = 1e-8;           // added to sqrt(v_hat); > 0
  double weight_decay = 1e-2;  // decoupled: w shrinks by learning_rate * weight_decay; >= 0
  void validate() const;
};

template <typename T>
class AdamW final : public Optimizer<T> {
 public:
  explicit AdamW(AdamWConfig config = {});
  std::string name() const override { return "adamw"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"m", m_}, {"v", v_}}; }

 private:
  AdamWConfig config_;
  std::vector<T> m_;  // (n) first moment
  std::vector<T> v_;  // (n) second moment
};

extern template class AdamW<float>;
extern template class AdamW<double>;

}  // namespace descent

// Adam (Kingma & Ba 2015; cs231n notes, "Adam"), as torch.optim.Adam:
//   m = beta1*m + (1-beta1)*dw
//   v = beta2*v + (1-beta2)*(dw**2)
//   m_hat = m / (1-beta1**t),  v_hat = v / (1-beta2**t)   (t counts from 1)
//   w -= learning_rate * m_hat / (sqrt(v_hat) + eps)
// Conventions where implementations differ:
//   - bias correction of both moments, as the notes and the paper;
//   - eps outside the square root, added to sqrt(v_hat) (not to v_hat, and not
//     to the uncorrected sqrt(v));
//   - weight decay is L2 added to the gradient, dw += weight_decay * w, so it
//     passes through m and v (torch Adam's weight_decay); AdamW decouples it.
#pragma once

#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct AdamConfig {
  double beta1 = 0.9;       // decay of the first moment m; in [0, 1)
  double beta2 = 0.999;     // decay of the second moment v; in [0, 1)
  double eps = 1e-8;        // added to sqrt(v_hat); > 0
  double weight_decay = 0;  // L2 coefficient added to dw; >= 0
  void validate() const;
};

template <typename T>
class Adam final : public Optimizer<T> {
 public:
  explicit Adam(AdamConfig config = {});
  std::string name() const override { return "adam"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"m", m_}, {"v", v_}}; }

 private:
  AdamConfig config_;
  std::vector<T> m_;  // (n) first moment
  std::vector<T> v_;  // (n) second moment
};

extern template class Adam<float>;
extern template class Adam<double>;

}  // namespace descent

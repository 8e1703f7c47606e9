// AdaMax (Kingma & Ba 2015, section 7.1 and Algorithm 2), as torch.optim.Adamax:
// Adam with the second moment replaced by an exponentially weighted infinity
// norm u of the gradients.
//   m = beta1*m + (1-beta1)*dw
//   u = max(beta2*u, |dw| + eps)
//   w -= learning_rate / (1-beta1**t) * m / u
// Conventions where implementations differ:
//   - eps is added to |dw| inside the maximum, as torch (the paper has no
//     eps); u >= eps > 0, so the division is always defined;
//   - only m is bias-corrected (u needs none), as the paper;
//   - weight decay is L2 added to the gradient (torch's weight_decay).
#pragma once

#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct AdamaxConfig {
  double beta1 = 0.9;       // decay of the first moment m; in [0, 1)
  double beta2 = 0.999;     // decay of the infinity norm u; in [0, 1)
  double eps = 1e-8;        // added to |dw| in the maximum; > 0
  double weight_decay = 0;  // L2 coefficient added to dw; >= 0
  void validate() const;
};

template <typename T>
class Adamax final : public Optimizer<T> {
 public:
  explicit Adamax(AdamaxConfig config = {});
  std::string name() const override { return "adamax"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"m", m_}, {"u", u_}}; }

 private:
  AdamaxConfig config_;
  std::vector<T> m_;  // (n) first moment
  std::vector<T> u_;  // (n) exponentially weighted infinity norm
};

extern template class Adamax<float>;
extern template class Adamax<double>;

}  // namespace descent

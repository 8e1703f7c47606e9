// AMSGrad (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond"),
// as torch.optim.Adam(amsgrad=True): Adam whose denominator uses the largest
// second moment seen so far, so that the effective step never grows.
//   v_max = max(v_max, v)
//   v_hat = v_max / (1-beta2**t)
// with m, v, m_hat and the step as Adam (see adam.hpp).
// Conventions where implementations differ:
//   - the maximum is taken over the uncorrected v and bias-corrected with the
//     current t, as torch (the paper has no bias correction; taking the
//     maximum of v_hat instead gives other steps);
//   - eps outside the square root; weight decay is L2 added to the gradient.
#pragma once

#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct AmsgradConfig {
  double beta1 = 0.9;       // decay of the first moment m; in [0, 1)
  double beta2 = 0.999;     // decay of the second moment v; in [0, 1)
  double eps = 1e-8;        // added to sqrt(v_hat); > 0
  double weight_decay = 0;  // L2 coefficient added to dw; >= 0
  void validate() const;
};

template <typename T>
class Amsgrad final : public Optimizer<T> {
 public:
  explicit Amsgrad(AmsgradConfig config = {});
  std::string name() const override { return "amsgrad"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override {
    return {{"m", m_}, {"v", v_}, {"v_max", v_max_}};
  }

 private:
  AmsgradConfig config_;
  std::vector<T> m_;      // (n) first moment
  std::vector<T> v_;      // (n) second moment
  std::vector<T> v_max_;  // (n) largest v so far
};

extern template class Amsgrad<float>;
extern template class Amsgrad<double>;

}  // namespace descent

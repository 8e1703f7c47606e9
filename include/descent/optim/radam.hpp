// RAdam: rectified Adam (Liu et al. 2020, "On the Variance of the Adaptive
// Learning Rate and Beyond", Algorithm 2), as torch.optim.RAdam. While the
// approximated length of the simple moving average rho_t is at most 5 the
// adaptive learning rate's variance is intractable, and the step is plain
// bias-corrected momentum; after that, Adam's step times the rectification r_t.
//   rho_inf = 2/(1-beta2) - 1
//   rho_t = rho_inf - 2*t*beta2**t / (1-beta2**t)
// With beta2 = 0.999 (or 0.99) the first rectified step is t = 6.
// Conventions where implementations differ:
//   - eps is added to the uncorrected sqrt(v), the bias correction sits in
//     the numerator: l = sqrt(1-beta2**t) / (sqrt(v) + eps), as torch and the
//     authors' code (not Adam's sqrt(v_hat) + eps);
//   - the threshold is rho_t > 5, as torch (the paper's Algorithm 2 says > 4;
//     the authors' code uses >= 5);
//   - weight decay is L2 added to the gradient.
#pragma once

#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct RAdamConfig {
  double beta1 = 0.9;       // decay of the first moment m; in [0, 1)
  double beta2 = 0.999;     // decay of the second moment v; in [0, 1)
  double eps = 1e-8;        // added to sqrt(v); > 0
  double weight_decay = 0;  // L2 coefficient added to dw; >= 0
  void validate() const;
};

template <typename T>
class RAdam final : public Optimizer<T> {
 public:
  explicit RAdam(RAdamConfig config = {});
  std::string name() const override { return "radam"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"m", m_}, {"v", v_}}; }

 private:
  RAdamConfig config_;
  std::vector<T> m_;  // (n) first moment
  std::vector<T> v_;  // (n) second moment
};

extern template class RAdam<float>;
extern template class RAdam<double>;

}  // namespace descent

// NAdam: Adam with Nesterov momentum (Dozat 2016, "Incorporating Nesterov
// Momentum into Adam"), as torch.optim.NAdam with its momentum schedule
//   mu_t = beta1 * (1 - 0.5 * 0.96**(t * psi))      (psi: momentum_decay)
//   m = beta1*m + (1-beta1)*dw
//   v = beta2*v + (1-beta2)*(dw**2)
//   m_hat = mu_{t+1} * m / (1 - prod_{i<=t+1} mu_i) + (1-mu_t) * dw / (1 - prod_{i<=t} mu_i)
//   v_hat = v / (1-beta2**t)
//   w -= learning_rate * m_hat / (sqrt(v_hat) + eps)
// The running product prod_{i<=t} mu_i is state, saved with m and v.
// Conventions where implementations differ:
//   - the look-ahead product is prod_{i<=t} mu_i * mu_{t+1}, as the paper and
//     torch >= 2.0; torch 1.13 multiplies mu_t in twice (fixed in
//     pytorch/pytorch#92699);
//   - eps outside the square root; weight decay is L2 added to the gradient.
#pragma once

#include <cstdint>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct NAdamConfig {
  double beta1 = 0.9;            // decay of the first moment m, and scale of mu_t; in [0, 1)
  double beta2 = 0.999;          // decay of the second moment v; in [0, 1)
  double eps = 1e-8;             // added to sqrt(v_hat); > 0
  double weight_decay = 0;       // L2 coefficient added to dw; >= 0
  double momentum_decay = 4e-3;  // psi in mu_t's schedule; >= 0
  void validate() const;
};

template <typename T>
class NAdam final : public Optimizer<T> {
 public:
  explicit NAdam(NAdamConfig config = {});
  std::string name() const override { return "nadam"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override;
  void save_state(ByteWriter& out) const override;
  void load_state(ByteReader& in, std::size_t n) override;
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"m", m_}, {"v", v_}}; }
  std::vector<StateScalar> state_scalars() override { return {{"mu_product", &mu_product_}}; }
  void steps_set(std::int64_t t) override { mu_product_t_ = t; }

 private:
  double mu(std::int64_t t) const;

  NAdamConfig config_;
  std::vector<T> m_;  // (n) first moment
  std::vector<T> v_;  // (n) second moment
  // prod_{i<=mu_product_t_} mu_i, in double whatever T: update() runs once per
  // parameter group, and the product advances once per step.
  double mu_product_ = 1;
  std::int64_t mu_product_t_ = 0;
};

extern template class NAdam<float>;
extern template class NAdam<double>;

}  // namespace descent

// Lion, "EvoLved Sign Momentum" (Chen et al. 2023, "Symbolic Discovery of
// Optimization Algorithms", Program 1 / Algorithm 2): every weight moves by
// exactly learning_rate in the direction of the sign of an interpolation
// between momentum and gradient.
//   c = beta1*m + (1-beta1)*dw
//   w -= learning_rate * (sign(c) + weight_decay * w)
//   m = beta2*m + (1-beta2)*dw
// Conventions where implementations differ:
//   - weight decay is decoupled, multiplied by the learning rate, as the paper
//     (never added to dw);
//   - sign(0) = 0, as torch.sign and jnp.sign: a weight whose c is exactly 0
//     moves only by its decay;
//   - the learning rate is typically 3 to 10 times smaller than AdamW's,
//     since every step has size learning_rate in every coordinate.
#pragma once

#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct LionConfig {
  double beta1 = 0.9;       // weight of m in the update direction c; in [0, 1)
  double beta2 = 0.99;      // decay of the momentum m; in [0, 1)
  double weight_decay = 0;  // decoupled: w shrinks by learning_rate * weight_decay; >= 0
  void validate() const;
};

template <typename T>
class Lion final : public Optimizer<T> {
 public:
  explicit Lion(LionConfig config = {});
  std::string name() const override { return "lion"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override { m_.assign(n, T(0)); }
  void save_state(ByteWriter& out) const override { out.put_array<T>(m_); }
  void load_state(ByteReader& in, std::size_t n) override { load_buffer(in, m_, n, "lion m"); }
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"m", m_}}; }

 private:
  LionConfig config_;
  std::vector<T> m_;  // (n) momentum
};

extern template class Lion<float>;
extern template class Lion<double>;

}  // namespace descent

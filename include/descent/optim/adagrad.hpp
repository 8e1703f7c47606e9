// Adagrad (Duchi, Hazan and Singer 2011; cs231n notes, "Adagrad"):
//   cache += dw^2
//   w -= learning_rate * dw / (sqrt(cache) + eps)
// eps sits outside the square root, as in the notes and torch.optim.Adagrad
// (tiny-dnn puts it inside, which changes the step while cache is small).
// eps defaults to the notes' 1e-8; torch's default is 1e-10.
// With weight decay, dw includes weight_decay * w (L2 added to the gradient).
#pragma once

#include <string>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct AdagradConfig {
  double eps = 1e-8;        // > 0
  double weight_decay = 0;  // >= 0
  void validate() const;
};

template <typename T>
class Adagrad final : public Optimizer<T> {
 public:
  explicit Adagrad(AdagradConfig config = {});
  std::string name() const override { return "adagrad"; }

 protected:
  void update(const Slice<T>& s) override;
  void init_state(std::size_t n) override { cache_.assign(n, T(0)); }
  void save_state(ByteWriter& out) const override { out.put_array<T>(cache_); }
  void load_state(ByteReader& in, std::size_t n) override {
    load_buffer(in, cache_, n, "adagrad cache");
  }
  double default_weight_decay() const override { return config_.weight_decay; }
  std::vector<StateBuffer<T>> state_buffers() override { return {{"cache", cache_}}; }

 private:
  AdagradConfig config_;
  std::vector<T> cache_;  // (n): sum of squared gradients
};

extern template class Adagrad<float>;
extern template class Adagrad<double>;

}  // namespace descent

// Nonlinear conjugate gradients, Polak-Ribiere+ (Nocedal & Wright, Section 5.2):
//   beta_{k+1} = max(0, g_{k+1} . (g_{k+1} - g_k) / g_k . g_k)   (N&W eq. 5.44-5.45)
//   d_{k+1} = -g_{k+1} + beta_{k+1} d_k
// restarted (d = -g) every `restart_every` iterations, and whenever d is not
// a descent direction (the minimizer's loop checks g . d < 0). The first
// trial step of each line search is min(1, 1 / ||g||_2) after a restart,
// else alpha_{k-1} (g_{k-1} . d_{k-1}) / (g_k . d_k) (N&W eq. 3.60), so the
// first-order change in f is the same as last time. A strong Wolfe search
// with c2 = 0.1 suits CG (N&W, Section 5.2).
#pragma once

#include <vector>

#include "descent/optim/search_direction.hpp"

namespace descent {

struct ConjugateGradientConfig {
  // Iterations between restarts; 0: n, the dimension (N&W, Section 5.2).
  std::size_t restart_every = 0;
};

template <typename T>
class ConjugateGradientDirection final : public SearchDirection<T> {
 public:
  explicit ConjugateGradientDirection(ConjugateGradientConfig config = {}) : config_(config) {}
  std::string name() const override { return "cg"; }
  void reset(std::size_t n) override;
  void restart() override { since_restart_ = 0; }
  bool is_fresh() const override { return since_restart_ == 0; }
  void direction(std::span<const T> g, std::span<T> d) override;
  double initial_step(std::span<const T> g, double slope) const override;
  void update(const AcceptedStep<T>& accepted) override;
  void save(ByteWriter& out) const override;  // search_direction_state.cpp
  void load(ByteReader& in) override;

 private:
  ConjugateGradientConfig config_;
  std::size_t restart_every_ = 0;
  std::vector<T> y_;               // (n) g_k - g_{k-1}
  double gg_previous_ = 0;         // g_{k-1} . g_{k-1}
  double first_order_change_ = 0;  // alpha_{k-1} g_{k-1} . d_{k-1}
  std::size_t since_restart_ = 0;  // iterations since the last restart
};

extern template class ConjugateGradientDirection<float>;
extern template class ConjugateGradientDirection<double>;

}  // namespace descent

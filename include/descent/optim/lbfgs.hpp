// L-BFGS (Nocedal & Wright, Section 7.2): the search direction
// d_k = -H_k g_k, where H_k is the BFGS inverse-Hessian approximation built
// from the last m pairs
//   s_i = x_{i+1} - x_i,  y_i = g_{i+1} - g_i,  rho_i = 1 / (y_i . s_i),
// applied to g_k by the two-loop recursion (N&W Algorithm 7.4) without ever
// forming a matrix. Used through minimize_with_line_search with a strong
// Wolfe line search (N&W Algorithm 7.5).
// Conventions where implementations differ:
//   - H_k^0 = gamma_k I with gamma_k = s_{k-1} . y_{k-1} / y_{k-1} . y_{k-1}
//     (N&W eq. 7.20), as liblbfgs, LBFGSpp and torch.optim.LBFGS;
//   - first trial step along -g_0 min(1, 1 / ||g_0||_2) (liblbfgs and
//     LBFGSpp take 1 / ||g_0||_2; torch.optim.LBFGS min(1, 1 / ||g_0||_1),
//     first_step selects it), then 1 (N&W, Section 7.2);
//   - a pair with s . y <= eps_T * y . y (curvature too weak to keep H
//     positive definite) is skipped, not stored; torch skips s . y <= 1e-10.
//     The minimizer writes each pair straight into the ring's next slot
//     (next_pair), so when all m slots are full a skipped pair costs the
//     oldest one too; a strong Wolfe step always has s . y > 0 (N&W, after
//     eq. 6.7), so only backtracking line searches can skip pairs.
#pragma once

#include <vector>

#include "descent/optim/search_direction.hpp"

namespace descent {

struct LbfgsConfig {
  // m: the (s, y) pairs kept; memory is 2 m n numbers. >= 1, default 10.
  std::size_t history = 10;
  // The first trial step, and the one after a restart.
  FirstStep first_step = FirstStep::inverse_l2_norm;
  void validate() const;
};

template <typename T>
class LbfgsDirection final : public SearchDirection<T> {
 public:
  explicit LbfgsDirection(LbfgsConfig config = {});
  std::string name() const override { return "lbfgs"; }
  void reset(std::size_t n) override;
  void restart() override { stored_ = 0; }
  bool is_fresh() const override { return stored_ == 0; }
  void direction(std::span<const T> g, std::span<T> d) override;
  double initial_step(std::span<const T> g, double slope) const override;
  void update(const AcceptedStep<T>& accepted) override;
  PairBuffers<T> next_pair() override;
  void save(ByteWriter& out) const override;  // search_direction_state.cpp
  void load(ByteReader& in) override;

  // Pairs stored now (at most m).
  std::size_t stored() const { return stored_; }

 private:
  std::span<T> s(std::size_t slot) { return {s_.data() + slot * n_, n_}; }
  std::span<T> y(std::size_t slot) { return {y_.data() + slot * n_, n_}; }

  LbfgsConfig config_;
  std::size_t n_ = 0;
  std::vector<T> s_;            // (m, n) the pairs' s, a ring of slots
  std::vector<T> y_;            // (m, n) the pairs' y, same slots
  std::vector<double> rho_;     // (m) 1 / (y . s) per slot
  std::vector<double> alpha_;   // (m) the first loop's alpha_i, per slot
  std::size_t newest_ = 0;      // slot of the newest pair
  std::size_t stored_ = 0;      // pairs stored
  double gamma_ = 1;            // H_k^0 = gamma I
};

extern template class LbfgsDirection<float>;
extern template class LbfgsDirection<double>;

}  // namespace descent

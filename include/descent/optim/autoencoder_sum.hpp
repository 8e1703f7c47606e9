// A sigmoid autoencoder with tied weights as a sum of functions
// (sum_of_functions.hpp): the demo of SFO's authors (sfo_demo.py), one of the
// problems of SFO's reference runs (tests/optim/reference/sfo/).
//   h = sigma(W v + b_h),  v_hat = W' h + b_v,   W (J x V), v in R^V
//   f_k = (1 / D_k) sum_{v in minibatch k} |v_hat - v|^2
// over D points split into N minibatches, point c in minibatch c mod N.
// The parameters, as sfo.py flattens the demo's dictionary (keys sorted):
// x = (W row-major, b_h, b_v), J V + J + V numbers. Data v (V x D, row-major)
// and the start (W, b_h, b_v, in that order) are standard normals from
// SplitMix64(seed) by Box-Muller (core/splitmix64.hpp).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "descent/optim/sum_of_functions.hpp"

namespace descent {

struct AutoencoderSumConfig {
  std::size_t visible = 20;     // V
  std::size_t hidden = 10;      // J
  std::size_t points = 100000;  // D
  // N; 0 takes the demo's int(sqrt(D) / 10).
  std::size_t subfunctions = 0;
  std::uint64_t seed = 2115;
};

class AutoencoderSum final : public SumOfFunctions {
 public:
  // ConfigError for zero sizes or more subfunctions than points.
  explicit AutoencoderSum(AutoencoderSumConfig config = {});
  std::size_t dim() const override { return start_.size(); }
  std::size_t subfunctions() const override { return minibatches_.size(); }
  double evaluate(std::size_t k, std::span<const double> x, std::span<double> gradient) override;

  const std::vector<double>& start() const { return start_; }
  // Point c's visible unit r: v(r, c).
  double data(std::size_t r, std::size_t c) const;

 private:
  AutoencoderSumConfig config_;
  std::vector<Eigen::MatrixXd> minibatches_;  // N of (V, D_k), point c at (c / N) of c mod N
  std::vector<double> start_;
  Eigen::MatrixXd hidden_;       // (J, max D_k) h, then dh * h * (1 - h)
  Eigen::MatrixXd residual_;     // (V, max D_k) v_hat - v, then dv_hat
  Eigen::MatrixXd hidden_grad_;  // (J, max D_k) W dv_hat
  Eigen::MatrixXd weight_grad_;  // (J, V)
};

}  // namespace descent

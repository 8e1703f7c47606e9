// L2-penalized logistic regression as a sum of functions (sum_of_functions.hpp):
// the synthetic problem of SFO's reference runs (tests/optim/reference/sfo/,
// made by sfo_reference_run.py), rebuilt bit for bit from SplitMix64.
//   n points x_i in R^d, labels y_i = +-1; subfunction k holds the points
//   i = k, k + N, k + 2N, ...:
//     f_k(w) = (1/n) sum_{i in k} log(1 + exp(-y_i x_i.w)) + (lambda / (2N)) |w|^2
//     grad f_k(w) = -(1/n) sum_{i in k} sigma(-y_i x_i.w) y_i x_i + (lambda / N) w
//   so that F = sum_k f_k = (1/n) sum_i log(1 + exp(-y_i x_i.w)) + (lambda/2) |w|^2.
// Data, from SplitMix64(seed) in this order: X (n x d, row-major) as
// x_ij = (2u - 1) 2^-floor(5j/d) (five column groups, scales 1 to 1/16), w_true
// as (2u - 1) 2^floor(5j/d), y_i = sign(x_i.w_true) (summed over j ascending),
// negated where a further uniform is below `flip`; the start w0_j = 0.1 (2u - 1).
// Unlike LogisticRegression (logistic_regression.hpp: float features, 0/1
// targets, a bias), all of it is double, with +-1 labels and no bias.
#pragma once

#include <cstdint>
#include <vector>

#include "descent/optim/sum_of_functions.hpp"

namespace descent {

struct LogisticSumConfig {
  std::size_t points = 1000;      // n
  std::size_t dim = 50;           // d (the reference runs take 50 and 200)
  std::size_t subfunctions = 20;  // N
  double lambda = 1e-4;
  double flip = 0.1;  // the fraction of labels flipped, in expectation
  std::uint64_t seed = 1311;
};

class LogisticSum final : public SumOfFunctions {
 public:
  // ConfigError for zero sizes, more subfunctions than points, lambda < 0 or
  // flip outside [0, 1].
  explicit LogisticSum(LogisticSumConfig config = {});
  std::size_t dim() const override { return config_.dim; }
  std::size_t subfunctions() const override { return config_.subfunctions; }
  double evaluate(std::size_t k, std::span<const double> w, std::span<double> gradient) override;

  const std::vector<double>& start() const { return start_; }        // w0
  const std::vector<double>& features() const { return features_; }  // X (n, d)
  const std::vector<double>& true_weights() const { return true_weights_; }
  const std::vector<double>& labels() const { return labels_; }  // y (n), +-1
  std::size_t flipped() const { return flipped_; }

 private:
  LogisticSumConfig config_;
  std::vector<double> features_;      // (n, d)
  std::vector<double> true_weights_;  // (d)
  std::vector<double> labels_;        // (n)
  std::vector<double> signed_rows_;   // (n, d) y_i x_i
  std::vector<double> start_;         // (d)
  std::size_t flipped_ = 0;
};

}  // namespace descent

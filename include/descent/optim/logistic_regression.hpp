// L2-penalized binary logistic regression as a test problem: strongly convex,
// so every method that converges reaches the one minimum, which a committed
// reference (tests/optim/reference/make_logistic_reference.py) supplies.
//   z_i = w . a_i + b                                  a_i: sample i's features
//   f(w, b) = (1/N) sum_i [log(1 + e^{z_i}) - t_i z_i] + (lambda/2) ||w||^2
//   df/dw = (1/N) sum_i (sigma(z_i) - t_i) a_i + lambda w
//   df/db = (1/N) sum_i (sigma(z_i) - t_i)
// (Bishop, Pattern Recognition and Machine Learning, eq. 4.90-4.91, averaged
// over the samples and with the penalty added). The bias b is not penalized.
// x = (w_0, ..., w_{d-1}, b), d + 1 numbers; the start is x = 0, where
// f = log 2. log(1 + e^z) is computed as max(z, 0) + log1p(e^{-|z|}), which
// neither overflows nor loses the small values.
// The minimizer is not known in closed form: minimizers() is empty and the
// answer key is the reference's f*.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "descent/optim/test_functions.hpp"

namespace descent {

class LogisticRegression final : public TestFunction {
 public:
  // features: (n, d) row-major; targets: (n), each 0 or 1; lambda > 0.
  // ConfigError naming the argument otherwise.
  LogisticRegression(std::span<const float> features, std::size_t d,
                     std::span<const std::uint8_t> targets, double lambda);
  std::string name() const override { return "logistic_regression"; }
  double value_and_gradient(std::span<const double> x, std::span<double> gradient) const override;
  // The fraction of samples with (z_i > 0) == t_i.
  double accuracy(std::span<const double> x) const;

 private:
  std::size_t d_;
  std::vector<float> features_;        // (n, d)
  std::vector<std::uint8_t> targets_;  // (n)
  double lambda_;
};

}  // namespace descent

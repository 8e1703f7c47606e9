#include "descent/optim/logistic_sum.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "descent/core/error.hpp"
#include "descent/core/splitmix64.hpp"
#include "descent/core/text.hpp"

namespace descent {

namespace {

// log(1 + e^-m) as numpy.logaddexp(0, -m): max(0, -m) + log1p(e^-|m|), and
// log 2 when m = 0.
double log1p_exp_minus(double m) {
  if (m == 0) return std::numbers::ln2;
  return std::max(0.0, -m) + std::log1p(std::exp(-std::abs(m)));
}

}  // namespace

LogisticSum::LogisticSum(LogisticSumConfig config) : config_(config) {
  const std::size_t n = config.points, d = config.dim;
  if (n == 0 || d == 0 || config.subfunctions == 0 || config.subfunctions > n) {
    throw ConfigError(
        "logistic sum: expected n >= N >= 1 points and subfunctions and d >= 1, got n = " +
        std::to_string(n) + ", N = " + std::to_string(config.subfunctions) +
        ", d = " + std::to_string(d));
  }
  if (!(config.lambda >= 0) || !std::isfinite(config.lambda)) {
    throw ConfigError("lambda: expected a finite number >= 0, got " + shortest(config.lambda));
  }
  if (!(config.flip >= 0 && config.flip <= 1)) {
    throw ConfigError("flip: expected a number in [0, 1], got " + shortest(config.flip));
  }
  SplitMix64 rng(config.seed);
  std::vector<double> scale(d);
  for (std::size_t j = 0; j < d; ++j) {
    scale[j] = std::exp2(-std::floor(5.0 * static_cast<double>(j) / static_cast<double>(d)));
  }
  features_.resize(n * d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) features_[i * d + j] = (2 * rng.uniform() - 1) * scale[j];
  }
  true_weights_.resize(d);
  for (std::size_t j = 0; j < d; ++j) true_weights_[j] = (2 * rng.uniform() - 1) / scale[j];
  labels_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double margin = 0;
    for (std::size_t j = 0; j < d; ++j) margin += features_[i * d + j] * true_weights_[j];
    labels_[i] = margin > 0 ? 1.0 : -1.0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (rng.uniform() < config.flip) {
      labels_[i] = -labels_[i];
      ++flipped_;
    }
  }
  start_.resize(d);
  for (std::size_t j = 0; j < d; ++j) start_[j] = 0.1 * (2 * rng.uniform() - 1);
  signed_rows_.resize(n * d);
  for (std::size_t i = 0; i < n * d; ++i) signed_rows_[i] = features_[i] * labels_[i / d];
}

double LogisticSum::evaluate(std::size_t k, std::span<const double> w, std::span<double> gradient) {
  const std::size_t n = config_.points, d = config_.dim, count = config_.subfunctions;
  const auto points = static_cast<double>(n);
  std::fill(gradient.begin(), gradient.end(), 0.0);
  double loss = 0;
  for (std::size_t i = k; i < n; i += count) {
    const double* z = signed_rows_.data() + i * d;
    double m = 0;
    for (std::size_t j = 0; j < d; ++j) m += z[j] * w[j];
    loss += log1p_exp_minus(m);
    const double sigma = 0.5 * (1 - std::tanh(0.5 * m));  // 1 / (1 + e^m), stable
    for (std::size_t j = 0; j < d; ++j) gradient[j] += sigma * z[j];
  }
  double ww = 0;
  for (std::size_t j = 0; j < d; ++j) ww += w[j] * w[j];
  const double decay = config_.lambda / static_cast<double>(count);
  for (std::size_t j = 0; j < d; ++j) gradient[j] = -gradient[j] / points + decay * w[j];
  return loss / points + 0.5 * config_.lambda / static_cast<double>(count) * ww;
}

}  // namespace descent

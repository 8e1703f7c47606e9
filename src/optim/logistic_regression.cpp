#include "descent/optim/logistic_regression.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/span_algebra.hpp"

namespace descent {

namespace {

// w . a + b for one sample's features a, with x = (w, b).
double logit(std::span<const double> x, const float* a, std::size_t d) {
  return lane_sum(d, [&](std::size_t j) { return static_cast<double>(a[j]) * x[j]; }) + x[d];
}

}  // namespace

LogisticRegression::LogisticRegression(std::span<const float> features, std::size_t d,
                                       std::span<const std::uint8_t> targets, double lambda)
    : d_(d), features_(features.begin(), features.end()),
      targets_(targets.begin(), targets.end()), lambda_(lambda) {
  if (d == 0 || targets.empty() || features.size() != targets.size() * d) {
    throw ConfigError("features: expected " + std::to_string(targets.size()) + " x " +
                      std::to_string(d) + " values, one row per target, got " +
                      std::to_string(features.size()));
  }
  if (std::any_of(targets.begin(), targets.end(), [](std::uint8_t t) { return t > 1; })) {
    throw ConfigError("targets: expected each 0 or 1");
  }
  if (!(lambda > 0 && std::isfinite(lambda))) {
    throw ConfigError("lambda: expected a finite number > 0, got " + shortest(lambda));
  }
  start_.assign(d + 1, 0.0);
}

// One pass over the samples: each row's logit, then its residual
// sigma(z_i) - t_i times the row into the gradient, while the row is in cache.
double LogisticRegression::value_and_gradient(std::span<const double> x,
                                              std::span<double> gradient) const {
  const std::size_t n = targets_.size();
  std::fill(gradient.begin(), gradient.end(), 0.0);
  double loss = 0;
  double* g = gradient.data();
  for (std::size_t i = 0; i < n; ++i) {
    const float* a = features_.data() + i * d_;
    const double z = logit(x, a, d_);
    const double t = targets_[i];
    loss += std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))) - t * z;
    const double residual = 1 / (1 + std::exp(-z)) - t;
    for (std::size_t j = 0; j < d_; ++j) g[j] += residual * a[j];
    g[d_] += residual;
  }
  const double inverse_n = 1.0 / static_cast<double>(n);
  double ww = 0;
  for (std::size_t j = 0; j < d_; ++j) {
    g[j] = g[j] * inverse_n + lambda_ * x[j];
    ww += x[j] * x[j];
  }
  g[d_] *= inverse_n;
  return loss * inverse_n + 0.5 * lambda_ * ww;
}

double LogisticRegression::accuracy(std::span<const double> x) const {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < targets_.size(); ++i) {
    const bool positive = logit(x, features_.data() + i * d_, d_) > 0;
    correct += positive == (targets_[i] == 1) ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(targets_.size());
}

}  // namespace descent

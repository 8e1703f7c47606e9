// The distillation loss: softened teacher probabilities mixed with the labels.
#include "descent/nn/distillation_loss.hpp"

#include <cmath>
#include <string>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/nn/softmax_loss.hpp"

namespace descent {

void Distillation::validate() const {
  if (!(std::isfinite(temperature) && temperature > 0)) {
    throw ConfigError("temperature: expected a finite value > 0, got " + shortest(temperature));
  }
  if (!(alpha >= 0 && alpha <= 1)) {
    throw ConfigError("alpha: expected a value in [0, 1], got " + shortest(alpha));
  }
}

// Row i, with m = max_c s_ic so that every exp is at most 1:
//   hard_i = log sum_c exp(s_ic - m) - (s_i[y_i] - m)
//   log q_ic = (s_ic - m) / T - log sum_c exp((s_ic - m) / T)
//   soft_i = sum_{c: p_ic > 0} p_ic (log p_ic - log q_ic)
//   dscores_i = alpha T (q_i - p_i) / n + (1 - alpha) (softmax(s_i) - onehot(y_i)) / n
double distillation_loss(const Eigen::Ref<const Matrix>& scores, std::span<const std::int32_t> y,
                         const Eigen::Ref<const Matrix>& teacher_probabilities,
                         const Distillation& distillation, Matrix& dscores) {
  distillation.validate();
  const Eigen::Index n = scores.rows();
  const Eigen::Index classes = scores.cols();
  if (y.size() != static_cast<std::size_t>(n)) {
    throw ShapeError("distillation_loss: " + std::to_string(y.size()) + " labels for " +
                     std::to_string(n) + " rows of scores");
  }
  if (teacher_probabilities.rows() != n || teacher_probabilities.cols() != classes) {
    throw ShapeError("distillation_loss: teacher probabilities of shape (" +
                     std::to_string(teacher_probabilities.rows()) + ", " +
                     std::to_string(teacher_probabilities.cols()) + ") for scores of shape (" +
                     std::to_string(n) + ", " + std::to_string(classes) + ")");
  }
  check_labels(y, static_cast<std::size_t>(classes), "distillation_loss");
  const auto temperature = static_cast<float>(distillation.temperature);
  const auto alpha = static_cast<float>(distillation.alpha);
  const float inv_n = 1.0f / static_cast<float>(n);
  const float soft_scale = alpha * temperature * inv_n;
  const float hard_scale = (1.0f - alpha) * inv_n;
  dscores.resize(n, classes);
  double soft_total = 0.0;
  double hard_total = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto s = scores.row(i);
    const auto p = teacher_probabilities.row(i);
    auto d = dscores.row(i);
    const float m = s.maxCoeff();
    const float sum = (s.array() - m).exp().sum();
    hard_total += std::log(sum) - (s(y[i]) - m);
    const float sum_t = ((s.array() - m) / temperature).exp().sum();
    const float log_sum_t = std::log(sum_t);
    for (Eigen::Index c = 0; c < classes; ++c) {
      const float z = (s(c) - m) / temperature;
      const float q = std::exp(z) / sum_t;
      if (p(c) > 0.0f) soft_total += p(c) * (std::log(p(c)) - (z - log_sum_t));
      const float softmax = std::exp(s(c) - m) / sum;
      const float onehot = c == y[i] ? 1.0f : 0.0f;
      d(c) = soft_scale * (q - p(c)) + hard_scale * (softmax - onehot);
    }
  }
  const double t = distillation.temperature;
  return (distillation.alpha * t * t * soft_total + (1 - distillation.alpha) * hard_total) /
         static_cast<double>(n);
}

}  // namespace descent

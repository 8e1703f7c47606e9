// Softmax cross-entropy.
#include "descent/nn/softmax_loss.hpp"

#include <cmath>
#include <string>

#include "descent/core/error.hpp"

namespace descent {

namespace {

void check_batch(const Eigen::Ref<const Matrix>& scores, std::span<const std::int32_t> y,
                 std::string_view what) {
  if (y.size() != static_cast<std::size_t>(scores.rows())) {
    throw ShapeError(std::string(what) + ": " + std::to_string(y.size()) + " labels for " +
                     std::to_string(scores.rows()) + " rows of scores");
  }
  check_labels(y, static_cast<std::size_t>(scores.cols()), what);
}

}  // namespace

void check_labels(std::span<const std::int32_t> y, std::size_t num_classes, std::string_view what) {
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] < 0 || static_cast<std::size_t>(y[i]) >= num_classes) {
      throw ShapeError(std::string(what) + ": label " + std::to_string(y[i]) + " at row " +
                       std::to_string(i) + " is outside [0, " + std::to_string(num_classes) + ")");
    }
  }
}

// -log p_i[y_i] = log sum_j exp(s_ij - m_i) - (s_i[y_i] - m_i),  m_i = max_j s_ij
// dscores_i = exp(s_i - m_i) / sum_j exp(s_ij - m_i) / n - onehot(y_i) / n
double softmax_loss(const Eigen::Ref<const Matrix>& scores, std::span<const std::int32_t> y,
                    Matrix& dscores) {
  check_batch(scores, y, "softmax_loss");
  const Eigen::Index n = scores.rows();
  const float inv_n = 1.0f / static_cast<float>(n);
  dscores.resize(n, scores.cols());  // (n, C)
  double total = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto s = scores.row(i);
    auto e = dscores.row(i);
    const float m = s.maxCoeff();
    e = (s.array() - m).exp();
    const float sum = e.sum();
    total += std::log(sum) - (s(y[i]) - m);
    e *= inv_n / sum;
    e(y[i]) -= inv_n;
  }
  return total / static_cast<double>(n);
}

double softmax_loss_sum(const Eigen::Ref<const Matrix>& scores, std::span<const std::int32_t> y) {
  check_batch(scores, y, "softmax_loss_sum");
  double total = 0.0;
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    const auto s = scores.row(i);
    const float m = s.maxCoeff();
    total += std::log((s.array() - m).exp().sum()) - (s(y[i]) - m);
  }
  return total;
}

}  // namespace descent

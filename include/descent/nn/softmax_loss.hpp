// Softmax cross-entropy, as cs231n's softmax_loss, for scores s (n, C) and
// labels y in [0, C):
//   p_i = exp(s_i - max_j s_ij) / sum_j exp(s_ij - max_j s_ij)   (stable form)
//   loss = (1/n) sum_i -log p_i[y_i]
//   dscores = (p - onehot(y)) / n
// Each element is computed in float; the loss is accumulated in double.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "descent/core/matrix.hpp"

namespace descent {

// ShapeError naming `what` unless every label is in [0, num_classes).
void check_labels(std::span<const std::int32_t> y, std::size_t num_classes, std::string_view what);

// Mean loss over the batch; writes dscores (n, C).
double softmax_loss(const Eigen::Ref<const Matrix>& scores, std::span<const std::int32_t> y,
                    Matrix& dscores);
// Sum over the batch of -log p_i[y_i], without the gradient.
double softmax_loss_sum(const Eigen::Ref<const Matrix>& scores, std::span<const std::int32_t> y);

}  // namespace descent

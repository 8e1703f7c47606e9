// Knowledge distillation (Hinton, Vinyals and Dean 2015, "Distilling the
// Knowledge in a Neural Network"): the student learns from the teacher's
// class probabilities softened by a temperature T, mixed with the true labels.
// For student scores s (n, C), labels y and teacher probabilities p at T:
//   q_i    = softmax(s_i / T)
//   soft   = (1/n) sum_i sum_c p_ic (log p_ic - log q_ic)     KL(p || q), 0 log 0 = 0
//   hard   = (1/n) sum_i -log softmax(s_i)[y_i]               (softmax_loss.hpp)
//   loss   = alpha T^2 soft + (1 - alpha) hard
//   dscores = alpha T (q - p) / n + (1 - alpha) (softmax(s) - onehot(y)) / n
// The T^2 keeps the soft targets' gradient, which shrinks as 1/T^2, at the
// scale of the hard one as T changes (the paper's section 2). The soft term is
// torch's kl_div(log q, p, reduction="batchmean") * T^2, which differs from
// the cross-entropy with p by the teacher's entropy, a constant: the gradient
// is the same, and a student that matches the teacher has soft = 0.
#pragma once

#include <cstdint>
#include <span>

#include "descent/core/matrix.hpp"

namespace descent {

struct Distillation {
  double temperature = 2.0;  // T > 0; 1 leaves the probabilities as they are
  double alpha = 0.5;        // weight of the soft targets, in [0, 1]; 0 is labels alone

  // ConfigError naming "temperature" or "alpha" for a value out of range.
  void validate() const;
};

// Mean loss over the batch; writes dscores (n, C). ShapeError if the teacher's
// probabilities are not (n, C) or a label is out of range.
double distillation_loss(const Eigen::Ref<const Matrix>& scores, std::span<const std::int32_t> y,
                         const Eigen::Ref<const Matrix>& teacher_probabilities,
                         const Distillation& distillation, Matrix& dscores);

}  // namespace descent

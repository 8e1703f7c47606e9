// The loss of DeepOBS's noisy quadratic, quadratic_deep: on the outputs
// q_i = theta - x_i of an offset layer (offset.hpp), for a batch of n samples,
//   L = 1/n sum_i 0.5 q_i^T Q q_i,   dL/dq_i = Q q_i / n   (Q symmetric)
// with Q the 100 x 100 Hessian of deep_learning_hessian(). There are no
// classes: DeepOBS reports an accuracy of 0 for it, and so does descent.
//
// Source: deepobs/pytorch/testproblems/quadratic_deep.py and
// testproblems_modules.py (net_quadratic_deep) of DeepOBS (Schneider, Balles
// and Hennig, ICLR 2019).
#pragma once

#include "descent/core/matrix.hpp"

namespace descent {

// The dimension of the quadratic, Q's rows and columns.
inline constexpr std::size_t kQuadraticDim = 100;

// DeepOBS's Q = R^T D R, in float32 as DeepOBS trains with it, from one
// numpy.random.RandomState(42) (core/numpy_random.hpp), in this order:
//   D   diag of 90 eigenvalues from uniform(0, 1), then 10 from uniform(30, 60)
//       (the spectrum reported for deep networks, arXiv:1611.01838)
//   R   a rotation drawn uniformly from SO(100) by the subgroup algorithm
//       (Diaconis and Shahshahani 1987): R_2 = [[c, s], [-s, c]] at angle
//       2 pi uniform(); then for d = 2 .. 99, v ~ normal(size d + 1) scaled
//       to unit length, x = (e_1 - v) / |e_1 - v|, D_d = diag(1, R_d) and
//       R_{d+1} = D_d - 2 x (x^T D_d); R = -R_100
// computed in double, as NumPy does.
const Matrix& deep_learning_hessian();

// The batch's mean loss; writes dL/dq into `dq` (n, 100).
double quadratic_loss(const Eigen::Ref<const Matrix>& q, const Matrix& hessian, Matrix& dq);
// The sum over the rows of 0.5 q_i^T Q q_i, without gradient (evaluation).
double quadratic_loss_sum(const Eigen::Ref<const Matrix>& q, const Matrix& hessian);

}  // namespace descent

// The state of the Sum of Functions Optimizer (sfo.hpp): what it knows between
// steps, all of it saved by Sfo::save, and the scratch buffers of a step.
// Names follow sfo.py's (l.101-203) where they differ from the paper's.
//
// Projected quantities are coordinates in the subspace's basis P: a vector v of
// R^M is stored as P'v (K_max numbers, of which the first `k_used` can be
// nonzero). Subfunction i's columns in the per-subfunction matrices:
//   last_x, last_grad:   column i
//   delta_x, delta_grad: columns i L .. i L + L - 1, newest pair first
//   factor, sign:        columns i 2L .. i 2L + 2L - 1, the first factor_cols[i] in use
// so that H_i = B_i diag(sign_i) B_i' + min_eig[i] I, with B_i the columns of
// `factor` (sfo.py keeps B_i complex, its imaginary columns being our -1 signs).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "descent/core/rng.hpp"

namespace descent {

// The longest history (s, y) pairs per subfunction: the per-subfunction
// algebra runs in fixed buffers of 2 x this many columns, so it never allocates.
inline constexpr std::size_t kSfoMaxHistory = 32;

using SfoSmallMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor,
                                     2 * kSfoMaxHistory, 2 * kSfoMaxHistory>;
using SfoSmallVector =
    Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, 2 * kSfoMaxHistory, 1>;
// P is stored by rows: every pass over it (P'v, P c, and the fused passes of
// sfo_subspace_growth.cpp) then streams through memory once, one row at a time.
using SfoBasis = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct SfoState {
  std::size_t dim = 0;      // M
  std::size_t count = 0;    // N
  std::size_t history = 0;  // L
  std::size_t k_min = 0;    // min(2N + 2, M)
  std::size_t k_max = 0;    // min(ceil(1.5 K_min), M)
  std::size_t k_used = 0;   // columns of P in use (K_current; M when P = I)
  bool full_space = false;  // K_max = M: P = I, the subspace never changes

  SfoBasis basis;           // P (M, K_max), orthonormal columns [0, k_used), zeros after
  Eigen::VectorXd x;        // theta (M): the current point, the last proposal
  Eigen::VectorXd x_prior;  // theta_prior_step (M): the point before the last step
  Eigen::VectorXd x_proj;   // theta_proj (K_max): P'x

  Eigen::MatrixXd last_x;                  // (K_max, N) P'x_i, where f_i was last evaluated
  Eigen::MatrixXd last_grad;               // (K_max, N) P' grad f_i(x_i)
  Eigen::VectorXd last_f;                  // (N) f_i(x_i); NaN before i's first evaluation
  Eigen::MatrixXd delta_x;                 // (K_max, L N) s = x_i - x_i' between i's evaluations
  Eigen::MatrixXd delta_grad;              // (K_max, L N) y = the gradient's change, same columns
  std::vector<std::uint32_t> pairs;        // (N) pairs stored per subfunction, <= L
  Eigen::MatrixXd factor;                  // (K_max, 2L N) B_i
  std::vector<std::int8_t> sign;           // (2L N) +1 or -1 per column of B_i
  std::vector<std::uint32_t> factor_cols;  // (N) columns of B_i in use, <= 2L
  Eigen::VectorXd min_eig;                 // (N) the diagonal term of H_i
  Eigen::VectorXd max_eig;                 // (N) the largest curvature in i's history
  Eigen::MatrixXd hessian_sum;             // full_H (K_max, K_max): sum_i B_i diag(sign_i) B_i'
  std::vector<std::uint8_t> active;        // (N) 1 for the active subfunctions
  std::vector<std::uint64_t> evals;        // (N) evaluations of each

  double step_scale = 1;             // shrinks on rejection, recovers towards 1
  double total_distance = 0;         // the path length of x so far
  double predicted_improvement = 0;  // 1/2 d'Hd of the last step
  std::uint64_t total_evals = 0;
  std::uint64_t steps = 0;
  std::uint64_t rejections = 0;
  std::uint64_t since_growth = 0;  // steps since the active set last grew
  std::uint64_t collapses = 0;     // of the subspace, so far
  std::size_t cyclic_next = 0;     // 'cyclic' selection: the next position among the active
  Rng rng;
};

// Scratch of one step, sized at construction so that step() never allocates.
struct SfoWorkspace {
  Eigen::VectorXd gradient;                       // (M) grad f_j as the subfunction returns it
  Eigen::VectorXd residual;                       // (M) Gram-Schmidt's new direction
  Eigen::VectorXd lifted;                         // (M) P g of a rejected step's gradient
  Eigen::VectorXd lifted_prior;                   // (M) P g at the previous point
  Eigen::VectorXd grad_proj;                      // (K_max) P' grad f_j of this step's evaluation
  Eigen::VectorXd prior_grad_proj;                // (K_max) the same at the previous point
  Eigen::VectorXd prior_x_proj;                   // (K_max) P' x_prior
  Eigen::VectorXd coeffs;                         // (K_max) a collapse's new direction
  Eigen::VectorXd correction;                     // (K_max) Gram-Schmidt's second product P'r1
  Eigen::VectorXd pending_coeffs;                 // (K_max) c of P's pending column base - P c
  const Eigen::VectorXd* pending_base = nullptr;  // its base (gradient or residual), if any
  Eigen::Index fused_rows = 0;           // rows of P per block of a pass that uses each block twice
  Eigen::VectorXd model_grad;            // (K_max) grad G at x
  Eigen::VectorXd step;                  // (K_max) the Newton step d
  Eigen::VectorXd scratch;               // (K_max)
  Eigen::MatrixXd factorized;            // (K_max, K_max) Cholesky factor of H
  Eigen::MatrixXd symmetric;             // (K_max, K_max) H for its eigenvalues; P'P
  Eigen::MatrixXd diffs;                 // (K_max, N + 1) x - x_i per subfunction; growth test's
  Eigen::MatrixXd diffs_mapped;          // (K_max, N) H (x - x_i)
  Eigen::MatrixXd directions;            // (K_max, K_min) what a collapse keeps
  Eigen::MatrixXd rotation;              // (K_max, K_min) the collapse's Pl
  Eigen::MatrixXd row_block;             // (rows, K_max) rows of P P_l, computed in place
  Eigen::MatrixXd column_block;          // (K_max, cols) columns of P_l' X, computed in place
  Eigen::MatrixXd history_basis;         // (K_max, 2L) Householder QR of [S Y]
  Eigen::MatrixXd history_q;             // (K_max, 2L) its thin Q
  Eigen::MatrixXd old_factor;            // (K_max, 2L) B_j before its update
  Eigen::MatrixXd factor_change;         // (K_max, 4L) [B_j new, B_j old]
  Eigen::MatrixXd factor_change_scaled;  // (K_max, 4L) the same times [sign new, -sign old]
  Eigen::VectorXd householder;           // (2 (K_max + 2L)) Householder taus, then workspace
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> total_eigen;  // of (K_max, K_max)
  std::vector<std::size_t> candidates;                         // (N) indices for a selection rule
  std::vector<double> distances;   // (N) 'distance' rule: the negated distances
  std::vector<std::size_t> order;  // (N) their numpy.argsort order

  // Per-subfunction algebra in the history's span (k <= 2L columns).
  SfoSmallMatrix s_proj, y_proj;    // (k, g) Q'S, Q'Y
  SfoSmallMatrix pinv_s;            // (g, k) pinv(Q'S)
  SfoSmallMatrix dd;                // (k, k) Q'Y pinv(Q'S)
  SfoSmallMatrix small;             // (k, k) D'D, then H in the span
  SfoSmallMatrix bfgs;              // (k, 2g) the factor while BFGS runs
  SfoSmallVector s, y, hs, column;  // (k)
  SfoSmallVector signs;             // (2g) the factor's column signs while BFGS runs
  SfoSmallVector old_signs;         // (2L) sign_j before its update
  SfoSmallVector eigenvalues;       // (k)
  SfoSmallVector spectrum;          // (min(K_max, 2g)) H's eigenvalues, unused coordinates' too
  Eigen::JacobiSVD<SfoSmallMatrix> svd;
  Eigen::SelfAdjointEigenSolver<SfoSmallMatrix> small_eigen;

  SfoWorkspace(std::size_t dim, std::size_t subfunctions, std::size_t history, std::size_t k_min,
               std::size_t k_max);
  // Bytes of the buffers above (sizeof(SfoWorkspace) included), and what
  // they come to for a problem of these sizes.
  std::size_t bytes() const;
  static std::size_t bytes_for(std::size_t dim, std::size_t subfunctions, std::size_t history,
                               std::size_t k_min, std::size_t k_max);
};

}  // namespace descent

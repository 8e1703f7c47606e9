// The scratch buffers of an SFO step (sfo_state.hpp), made once.
#include "descent/optim/sfo_state.hpp"

#include <algorithm>

namespace descent {

namespace {

// Rows of P, and columns of the projected arrays, changed per block when a
// collapse rotates them in place.
constexpr std::size_t kRowBlock = 256;
constexpr std::size_t kColumnBlock = 256;

std::size_t doubles(const Eigen::MatrixXd& m) { return static_cast<std::size_t>(m.size()); }
std::size_t doubles(const Eigen::VectorXd& v) { return static_cast<std::size_t>(v.size()); }

// The eigensolver of (K, K) matrices keeps the eigenvectors' matrix and three
// vectors of length K.
std::size_t eigensolver_doubles(std::size_t k) { return k * k + 3 * k; }

// Rows of P per block of a pass that does two things with each row: about
// 512 KB of P, so that the block is still in cache for the second.
Eigen::Index fused_block_rows(std::size_t k_max) {
  const auto rows = (std::size_t{1} << 16) / std::max<std::size_t>(k_max, 1);
  return static_cast<Eigen::Index>(std::max<std::size_t>(64, rows));
}

}  // namespace

SfoWorkspace::SfoWorkspace(std::size_t dim, std::size_t subfunctions, std::size_t history,
                           std::size_t k_min, std::size_t k_max)
    : gradient(dim),
      residual(dim),
      lifted(dim),
      lifted_prior(dim),
      grad_proj(k_max),
      prior_grad_proj(k_max),
      prior_x_proj(k_max),
      coeffs(k_max),
      correction(k_max),
      pending_coeffs(k_max),
      fused_rows(fused_block_rows(k_max)),
      model_grad(k_max),
      step(k_max),
      scratch(k_max),
      factorized(k_max, k_max),
      symmetric(k_max, k_max),
      diffs(k_max, subfunctions + 1),
      diffs_mapped(k_max, subfunctions),
      directions(k_max, k_min),
      rotation(k_max, k_min),
      row_block(std::min(dim, kRowBlock), k_max),
      column_block(k_max,
                   std::min(std::max(subfunctions, 2 * history * subfunctions), kColumnBlock)),
      history_basis(k_max, 2 * history),
      history_q(k_max, 2 * history),
      old_factor(k_max, 2 * history),
      factor_change(k_max, 4 * history),
      factor_change_scaled(k_max, 4 * history),
      householder(2 * (k_max + 2 * history)),
      total_eigen(static_cast<Eigen::Index>(k_max)),
      candidates(subfunctions),
      distances(subfunctions),
      order(subfunctions) {}

std::size_t SfoWorkspace::bytes_for(std::size_t dim, std::size_t subfunctions, std::size_t history,
                                    std::size_t k_min, std::size_t k_max) {
  const std::size_t n = subfunctions, l = history;
  const std::size_t columns = std::min(std::max(n, 2 * l * n), kColumnBlock);
  const std::size_t count = 4 * dim + 9 * k_max + 2 * k_max * k_max + k_max * (2 * n + 1) +
                            2 * k_max * k_min + std::min(dim, kRowBlock) * k_max + k_max * columns +
                            3 * k_max * 2 * l + 2 * k_max * 4 * l + 2 * (k_max + 2 * l) +
                            eigensolver_doubles(k_max);
  return (count + n) * sizeof(double) + 2 * n * sizeof(std::size_t) + sizeof(SfoWorkspace);
}

std::size_t SfoWorkspace::bytes() const {
  std::size_t count = 0;
  for (const Eigen::VectorXd* v :
       {&gradient, &residual, &lifted, &lifted_prior, &grad_proj, &prior_grad_proj, &prior_x_proj,
        &coeffs, &correction, &pending_coeffs, &model_grad, &step, &scratch, &householder}) {
    count += doubles(*v);
  }
  for (const Eigen::MatrixXd* m : {&factorized, &symmetric, &diffs, &diffs_mapped, &directions,
                                   &rotation, &row_block, &column_block, &history_basis, &history_q,
                                   &old_factor, &factor_change, &factor_change_scaled}) {
    count += doubles(*m);
  }
  count += eigensolver_doubles(static_cast<std::size_t>(symmetric.rows()));
  return (count + distances.size()) * sizeof(double) +
         (candidates.size() + order.size()) * sizeof(std::size_t) + sizeof(SfoWorkspace);
}

}  // namespace descent

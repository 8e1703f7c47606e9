#include "descent/optim/thin_q.hpp"

#include <Eigen/Householder>
#include <algorithm>

namespace descent {

// Reflector j maps column j's part on rows j.. to (beta, 0, ..., 0) and is
// applied to the columns right of it; Q = H_0 H_1 ... H_{k-1} [I_k; 0] is then
// formed from the last reflector back to the first.
void thin_q(Eigen::Ref<Eigen::MatrixXd> a, Eigen::Ref<Eigen::MatrixXd> q, double* scratch) {
  const Eigen::Index rows = a.rows(), cols = a.cols(), k = std::min(rows, cols);
  double* taus = scratch;
  double* workspace = scratch + cols;
  for (Eigen::Index j = 0; j < k; ++j) {
    double beta = 0;
    a.col(j).tail(rows - j).makeHouseholderInPlace(taus[j], beta);
    a(j, j) = beta;
    a.bottomRightCorner(rows - j, cols - j - 1)
        .applyHouseholderOnTheLeft(a.col(j).tail(rows - j - 1), taus[j], workspace);
  }
  q.setIdentity();
  for (Eigen::Index j = k - 1; j >= 0; --j) {
    q.bottomRightCorner(rows - j, k - j)
        .applyHouseholderOnTheLeft(a.col(j).tail(rows - j - 1), taus[j], workspace);
  }
}

}  // namespace descent

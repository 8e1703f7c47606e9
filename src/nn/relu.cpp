// Rectified linear unit.
#include "descent/nn/relu.hpp"

namespace descent {

// h = max(0, x)  (n, d)
void relu_forward(Matrix& x) { x = x.cwiseMax(0.0f); }

// dx = dh * [h > 0]  (n, d)
void relu_backward(const Matrix& h, Matrix& dh) {
  const float* hp = h.data();
  float* dp = dh.data();
  for (Eigen::Index k = 0; k < dh.size(); ++k) dp[k] = hp[k] > 0.0f ? dp[k] : 0.0f;
}

}  // namespace descent

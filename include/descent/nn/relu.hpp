// Rectified linear unit, in place on a batch (n, d):
//   forward   h = max(0, x)
//   backward  dx = dh where h > 0, else 0
// The layer after an affine without batch norm uses Affine's fused
// forward_relu / backward_relu instead.
#pragma once

#include "descent/core/matrix.hpp"

namespace descent {

void relu_forward(Matrix& x);
// `h` is the output of relu_forward (or it times a nonnegative dropout mask).
void relu_backward(const Matrix& h, Matrix& dh);

}  // namespace descent

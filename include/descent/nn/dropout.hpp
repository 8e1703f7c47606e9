// Inverted dropout, in place on a batch (n, d). p is the probability of
// DROPPING a unit (PyTorch's convention; cs231n's p is the keep probability):
//   mask = [u >= p] / (1 - p),  u ~ U[0, 1) drawn with one rng.uniform() per
//          element in row-major order, so a given Rng state fixes the mask
//   forward   out = x * mask
//   backward  dx = dout * mask
// In test mode the layer is the identity and is not called.
#pragma once

#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"

namespace descent {

class Dropout {
 public:
  // p in [0, 1); ConfigError otherwise.
  explicit Dropout(float p);

  float p() const { return p_; }
  // The mask of the last forward pass (n, d).
  const Matrix& mask() const { return mask_; }

  void forward(Matrix& x, Rng& rng);
  void backward(Matrix& dout) const;

 private:
  float p_;
  Matrix mask_;  // (n, d)
};

}  // namespace descent

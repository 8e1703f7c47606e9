// Inverted dropout.
#include "descent/nn/dropout.hpp"

#include <sstream>

#include "descent/core/error.hpp"

namespace descent {

Dropout::Dropout(float p) : p_(p) {
  if (!(p >= 0.0f && p < 1.0f)) {
    std::ostringstream message;
    message << "dropout: expected a probability in [0, 1), got " << p;
    throw ConfigError(message.str());
  }
}

// mask = [u >= p] / (1 - p), out = x * mask  (n, d)
void Dropout::forward(Matrix& x, Rng& rng) {
  const float keep_scale = 1.0f / (1.0f - p_);
  mask_.resize(x.rows(), x.cols());
  float* m = mask_.data();
  float* xp = x.data();
  for (Eigen::Index k = 0; k < x.size(); ++k) {
    m[k] = rng.uniform() >= p_ ? keep_scale : 0.0f;
    xp[k] *= m[k];
  }
}

// dx = dout * mask  (n, d)
void Dropout::backward(Matrix& dout) const { dout.array() *= mask_.array(); }

}  // namespace descent

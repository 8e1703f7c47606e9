// An exponential moving average with Adam's bias correction (Kingma & Ba
// 2015, Algorithm 1): after values x_1 .. x_t,
//   m_t = beta m_{t-1} + (1 - beta) x_t,  m_0 = 0;   value = m_t / (1 - beta^t)
// so that the first values are not pulled towards 0. Used to smooth a loss
// curve (the divergence test, the learning-rate range test, the report).
#pragma once

#include <cmath>
#include <cstddef>

namespace descent {

class MovingAverage {
 public:
  explicit MovingAverage(double beta) : beta_(beta) {}

  void add(double x) {
    m_ = beta_ * m_ + (1 - beta_) * x;
    ++count_;
  }
  // The bias-corrected average; NaN before the first value.
  double value() const { return m_ / (1 - std::pow(beta_, static_cast<double>(count_))); }
  std::size_t count() const { return count_; }
  void reset() { m_ = 0, count_ = 0; }

 private:
  double beta_;
  double m_ = 0;
  std::size_t count_ = 0;
};

}  // namespace descent

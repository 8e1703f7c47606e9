// Helpers for the nn tests: random matrices, centered-difference gradients of
// float code (accumulated in double) and their comparison with an analytic
// gradient.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"

namespace descent::test {

// Entries ~ N(mean, stddev^2).
inline Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng, double stddev = 1.0,
                            double mean = 0.0) {
  Matrix m(rows, cols);
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    m.data()[k] = static_cast<float>(mean + stddev * rng.normal());
  }
  return m;
}

// dL/dv_k ~ (f(v + h e_k) - f(v - h e_k)) / (v_k+ - v_k-), where v_k+ and v_k-
// are the float values actually stored, so the rounding of v_k +- h adds no error.
template <typename F>
std::vector<double> numeric_gradient(float* values, std::size_t count, float h, F&& f) {
  std::vector<double> grad(count);
  for (std::size_t k = 0; k < count; ++k) {
    const float old = values[k];
    const float plus = old + h;
    const float minus = old - h;
    values[k] = plus;
    const double f_plus = f();
    values[k] = minus;
    const double f_minus = f();
    values[k] = old;
    grad[k] = (f_plus - f_minus) / (static_cast<double>(plus) - static_cast<double>(minus));
  }
  return grad;
}

// |analytic - numeric| <= atol + rtol * |numeric|, element by element.
inline void expect_gradient_near(const float* analytic, const std::vector<double>& numeric,
                                 double rtol, double atol, const std::string& what) {
  int failures = 0;
  for (std::size_t k = 0; k < numeric.size(); ++k) {
    const double a = analytic[k];
    const double n = numeric[k];
    if (!(std::abs(a - n) <= atol + rtol * std::abs(n)) && ++failures <= 5) {
      ADD_FAILURE() << what << "[" << k << "]: analytic " << a << ", numeric " << n;
    }
  }
}

// sum_k out_k * r_k in double: a scalar objective whose gradient with respect
// to out is r.
inline double weighted_sum(const Matrix& out, const Matrix& r) {
  return out.cast<double>().cwiseProduct(r.cast<double>()).sum();
}

}  // namespace descent::test

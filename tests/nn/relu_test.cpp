// ReLU: forward values and the backward mask against centered differences.
#include "descent/nn/relu.hpp"

#include <gtest/gtest.h>

#include "nn/gradient_check.hpp"

namespace descent {
namespace {

TEST(Relu, ForwardZeroesNegativesAndKeepsPositives) {
  Matrix x(2, 3);
  x << -1.5f, 0.0f, 2.0f, 3.0f, -0.25f, 0.5f;
  relu_forward(x);
  Matrix expected(2, 3);
  expected << 0.0f, 0.0f, 2.0f, 3.0f, 0.0f, 0.5f;
  EXPECT_EQ(x, expected);
}

TEST(Relu, BackwardMatchesCenteredDifferences) {
  Rng rng(5);
  Matrix x = test::random_matrix(4, 6, rng);
  // Keep every input at least 0.1 from the kink, ten steps away.
  x = (x.array() < 0.0f).select(x.array() - 0.1f, x.array() + 0.1f);
  const Matrix r = test::random_matrix(4, 6, rng);

  Matrix h = x;
  relu_forward(h);
  Matrix dx = r;
  relu_backward(h, dx);

  const auto objective = [&] {
    Matrix out = x;
    relu_forward(out);
    return test::weighted_sum(out, r);
  };
  // relu is piecewise linear and no input crosses zero: only float rounding
  // (1e-7 relative) divided by 2h remains.
  test::expect_gradient_near(
      dx.data(), test::numeric_gradient(x.data(), x.size(), 1e-2f, objective), 1e-3, 1e-4, "dx");
}

}  // namespace
}  // namespace descent

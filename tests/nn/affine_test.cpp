// Affine layer: forward against a hand loop, backward against centered
// differences, and the fused affine-relu pair.
#include "descent/nn/affine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "nn/gradient_check.hpp"

namespace descent {
namespace {

using test::expect_gradient_near;
using test::numeric_gradient;
using test::random_matrix;
using test::weighted_sum;

// The layer is linear in each of x, W and b, so centered differences have no
// truncation error; what is left is float rounding of the outputs (|out| < 10,
// a few 1e-7 each, over 12 outputs), divided by 2h = 2e-2: below 1e-4.
constexpr float kStep = 1e-2f;
constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-3;

struct AffineFixture : ::testing::Test {
  AffineFixture() : layer(params, 3, 5, 3) {
    params.allocate();
    Rng rng(11);
    params.value(layer.weight_id()) = random_matrix(5, 3, rng);
    params.value(layer.bias_id()) = random_matrix(1, 3, rng);
    x = random_matrix(4, 5, rng);
    r = random_matrix(4, 3, rng);
  }
  ParamSet params;
  Affine layer;
  Matrix x;  // (4, 5)
  Matrix r;  // (4, 3), the upstream gradient
};

TEST_F(AffineFixture, RegistersNamedWeightAndBias) {
  const ParamEntry& w = params.entries()[layer.weight_id()];
  const ParamEntry& b = params.entries()[layer.bias_id()];
  EXPECT_EQ(w.name, "W3");
  EXPECT_EQ(w.kind, ParamKind::Weight);
  EXPECT_EQ(w.rows, 5u);
  EXPECT_EQ(w.cols, 3u);
  EXPECT_EQ(b.name, "b3");
  EXPECT_EQ(b.kind, ParamKind::Bias);
  EXPECT_EQ(b.rows, 1u);
  EXPECT_EQ(b.cols, 3u);
}

TEST_F(AffineFixture, ForwardIsXTimesWPlusB) {
  Matrix out;
  layer.forward(params, x, out);
  const ConstMatrixMap w = std::as_const(params).value(layer.weight_id());
  const ConstMatrixMap b = std::as_const(params).value(layer.bias_id());
  ASSERT_EQ(out.rows(), 4);
  ASSERT_EQ(out.cols(), 3);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 3; ++j) {
      double expected = b(0, j);
      for (int k = 0; k < 5; ++k) expected += static_cast<double>(x(i, k)) * w(k, j);
      EXPECT_NEAR(out(i, j), expected, 1e-5) << i << "," << j;
    }
  }
}

TEST_F(AffineFixture, BackwardMatchesCenteredDifferences) {
  Matrix out;
  Matrix dx;
  layer.forward(params, x, out);
  layer.backward(params, x, r, &dx);
  const auto objective = [&] {
    layer.forward(params, x, out);
    return weighted_sum(out, r);
  };
  MatrixMap w = params.value(layer.weight_id());
  MatrixMap b = params.value(layer.bias_id());
  expect_gradient_near(params.grad(layer.weight_id()).data(),
                       numeric_gradient(w.data(), w.size(), kStep, objective), kRtol, kAtol, "dW");
  expect_gradient_near(params.grad(layer.bias_id()).data(),
                       numeric_gradient(b.data(), b.size(), kStep, objective), kRtol, kAtol, "db");
  expect_gradient_near(dx.data(), numeric_gradient(x.data(), x.size(), kStep, objective), kRtol,
                       kAtol, "dx");
}

TEST_F(AffineFixture, BackwardWithoutDxGivesTheSameParameterGradients) {
  Matrix dx;
  layer.backward(params, x, r, &dx);
  const Matrix dw = params.grad(layer.weight_id());
  const Matrix db = params.grad(layer.bias_id());
  params.zero_grads();
  layer.backward(params, x, r, nullptr);
  EXPECT_EQ(Matrix(params.grad(layer.weight_id())), dw);
  EXPECT_EQ(Matrix(params.grad(layer.bias_id())), db);
}

TEST_F(AffineFixture, ForwardReluIsMaxOfZeroAndForward) {
  Matrix out;
  Matrix h;
  layer.forward(params, x, out);
  layer.forward_relu(params, x, h);
  EXPECT_EQ(h, out.cwiseMax(0.0f));
  EXPECT_GT((out.array() < 0.0f).count(), 0) << "the test needs some negative pre-activations";
}

TEST_F(AffineFixture, BackwardReluMatchesCenteredDifferences) {
  Matrix z;
  layer.forward(params, x, z);
  // Moving one of x, W, b by h moves a pre-activation by at most h * max(|x|, |W|, 1);
  // no pre-activation may cross zero, where relu has its kink. The smaller step
  // leaves float rounding divided by 2h below 1e-3 still.
  const float step = 1e-3f;
  const float reach =
      step * std::max({x.cwiseAbs().maxCoeff(),
                       params.value(layer.weight_id()).cwiseAbs().maxCoeff(), 1.0f});
  ASSERT_GT(z.cwiseAbs().minCoeff(), reach);

  Matrix h;
  Matrix dh = r;
  Matrix dx;
  layer.forward_relu(params, x, h);
  layer.backward_relu(params, x, h, dh, &dx);
  EXPECT_EQ(dh, Matrix((h.array() > 0.0f).select(r, 0.0f))) << "dh becomes dz in place";

  const auto objective = [&] {
    layer.forward_relu(params, x, h);
    return weighted_sum(h, r);
  };
  MatrixMap w = params.value(layer.weight_id());
  MatrixMap b = params.value(layer.bias_id());
  expect_gradient_near(params.grad(layer.weight_id()).data(),
                       numeric_gradient(w.data(), w.size(), step, objective), kRtol, kAtol, "dW");
  expect_gradient_near(params.grad(layer.bias_id()).data(),
                       numeric_gradient(b.data(), b.size(), step, objective), kRtol, kAtol, "db");
  expect_gradient_near(dx.data(), numeric_gradient(x.data(), x.size(), step, objective), kRtol,
                       kAtol, "dx");
}

}  // namespace
}  // namespace descent

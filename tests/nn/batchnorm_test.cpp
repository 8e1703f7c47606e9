// Batch normalization: training and test forward against hand computations in
// double, the running-statistics convention, and the backward pass against
// centered differences.
#include "descent/nn/batchnorm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "nn/gradient_check.hpp"

namespace descent {
namespace {

using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowD = Eigen::Matrix<double, 1, Eigen::Dynamic>;

struct BatchNormFixture : ::testing::Test {
  BatchNormFixture() : layer(params, 2, 3, 0), buffers(layer.buffer_size()) {
    params.allocate();
    layer.initialize(params, buffers);
    Rng rng(4);
    x = test::random_matrix(6, 3, rng, 2.0, 1.0);
    r = test::random_matrix(6, 3, rng);
  }
  void randomize_scale_and_shift() {
    Rng rng(8);
    params.value(layer.gamma_id()) = test::random_matrix(1, 3, rng, 0.5, 1.0);
    params.value(layer.beta_id()) = test::random_matrix(1, 3, rng);
  }
  ParamSet params;
  BatchNorm layer;
  std::vector<float> buffers;
  Matrix x;  // (6, 3)
  Matrix r;  // (6, 3), the upstream gradient
};

TEST_F(BatchNormFixture, StartsAtUnitScaleZeroShiftAndPyTorchRunningStats) {
  EXPECT_EQ(params.entries()[layer.gamma_id()].name, "gamma2");
  EXPECT_EQ(params.entries()[layer.beta_id()].name, "beta2");
  EXPECT_EQ(params.entries()[layer.gamma_id()].kind, ParamKind::Bias);
  EXPECT_EQ(params.entries()[layer.beta_id()].kind, ParamKind::Bias);
  EXPECT_EQ(Matrix(params.value(layer.gamma_id())), Matrix::Ones(1, 3));
  EXPECT_EQ(Matrix(params.value(layer.beta_id())), Matrix::Zero(1, 3));
  EXPECT_EQ(buffers, (std::vector<float>{0, 0, 0, 1, 1, 1}));
}

TEST_F(BatchNormFixture, TrainingForwardNormalizesWithTheBiasedBatchVariance) {
  randomize_scale_and_shift();
  const MatrixD xd = x.cast<double>();
  const RowD mu = xd.colwise().mean();
  const MatrixD centered = xd.rowwise() - mu;
  const RowD var = centered.cwiseAbs2().colwise().mean();  // biased: divides by n
  const RowD gamma = std::as_const(params).value(layer.gamma_id()).cast<double>();
  const RowD beta = std::as_const(params).value(layer.beta_id()).cast<double>();

  Matrix out = x;
  layer.forward_train(params, out, buffers);
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 3; ++j) {
      const double expected = gamma(j) * centered(i, j) / std::sqrt(var(j) + 1e-5) + beta(j);
      EXPECT_NEAR(out(i, j), expected, 1e-5) << i << "," << j;
    }
  }
}

TEST_F(BatchNormFixture, RunningStatisticsUseMomentumPointNineAndTheBiasedVariance) {
  const MatrixD xd = x.cast<double>();
  const RowD mu = xd.colwise().mean();
  const RowD var = (xd.rowwise() - mu).cwiseAbs2().colwise().mean();
  Matrix out = x;
  layer.forward_train(params, out, buffers);
  out = x;
  layer.forward_train(params, out, buffers);
  for (int j = 0; j < 3; ++j) {
    // Two updates from (0, 1): m = 0.9 (0.1 mu) + 0.1 mu, v = 0.9 (0.9 + 0.1 var) + 0.1 var.
    EXPECT_NEAR(buffers[j], 0.19 * mu(j), 1e-6) << j;
    EXPECT_NEAR(buffers[3 + j], 0.81 + 0.19 * var(j), 1e-5) << j;
  }
  // An unbiased variance would differ by the factor n / (n - 1) = 1.2 in the 0.19 * var term.
  EXPECT_GT(std::abs(0.19 * var(0) * 0.2), 1e-3);
}

TEST_F(BatchNormFixture, TestForwardUsesRunningStatisticsRowByRow) {
  randomize_scale_and_shift();
  buffers = {0.5f, -1.0f, 2.0f, 4.0f, 0.25f, 1.5f};
  const Matrix gamma = params.value(layer.gamma_id());
  const Matrix beta = params.value(layer.beta_id());
  Matrix out = x;
  layer.forward_test(params, out, buffers);
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 3; ++j) {
      const double expected =
          gamma(0, j) * (x(i, j) - buffers[j]) / std::sqrt(buffers[3 + j] + 1e-5) + beta(0, j);
      EXPECT_NEAR(out(i, j), expected, 1e-5) << i << "," << j;
    }
  }
  Matrix one_row = x.row(2);
  layer.forward_test(params, one_row, buffers);
  EXPECT_EQ(one_row, Matrix(out.row(2))) << "test mode does not depend on the batch";
  EXPECT_EQ(buffers, (std::vector<float>{0.5f, -1.0f, 2.0f, 4.0f, 0.25f, 1.5f}));
}

TEST_F(BatchNormFixture, BackwardMatchesCenteredDifferences) {
  randomize_scale_and_shift();
  Matrix out = x;
  layer.forward_train(params, out, buffers);
  Matrix dx = r;
  layer.backward(params, dx);

  std::vector<float> scratch = buffers;
  const auto objective = [&] {
    Matrix o = x;
    layer.forward_train(params, o, scratch);
    return test::weighted_sum(o, r);
  };
  // Smooth in every input, with x spread over a standard deviation of 2: the
  // O(h^2) truncation error and float rounding divided by 2h (below 1e-4)
  // stay well under these bounds; a wrong term in the formula is O(0.1).
  const float h = 1e-2f;
  const double rtol = 1e-2;
  const double atol = 1e-3;
  MatrixMap gamma = params.value(layer.gamma_id());
  MatrixMap beta = params.value(layer.beta_id());
  test::expect_gradient_near(params.grad(layer.gamma_id()).data(),
                             test::numeric_gradient(gamma.data(), 3, h, objective), rtol, atol,
                             "dgamma");
  test::expect_gradient_near(params.grad(layer.beta_id()).data(),
                             test::numeric_gradient(beta.data(), 3, h, objective), rtol, atol,
                             "dbeta");
  test::expect_gradient_near(dx.data(), test::numeric_gradient(x.data(), x.size(), h, objective),
                             rtol, atol, "dx");
}

}  // namespace
}  // namespace descent

// Softmax cross-entropy: known values, numerical stability, the gradient
// against centered differences, and label checks.
#include "descent/nn/softmax_loss.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "descent/core/error.hpp"
#include "nn/gradient_check.hpp"

namespace descent {
namespace {

TEST(SoftmaxLoss, UniformScoresGiveLogC) {
  const Matrix scores = Matrix::Constant(4, 7, 3.5f);
  const std::vector<std::int32_t> y = {0, 6, 3, 3};
  Matrix dscores;
  EXPECT_NEAR(softmax_loss(scores, y, dscores), std::log(7.0), 1e-6);
  EXPECT_NEAR(softmax_loss_sum(scores, y), 4.0 * std::log(7.0), 4e-6);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 7; ++j) {
      const double expected = (1.0 / 7.0 - (j == y[i] ? 1.0 : 0.0)) / 4.0;
      EXPECT_NEAR(dscores(i, j), expected, 1e-7) << i << "," << j;
    }
  }
}

TEST(SoftmaxLoss, MatchesAHandComputation) {
  Matrix scores(2, 3);
  scores << 1.0f, 2.0f, 3.0f, -1.0f, 0.5f, 0.0f;
  const std::vector<std::int32_t> y = {2, 0};
  const double z0 = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  const double z1 = std::exp(-1.0) + std::exp(0.5) + std::exp(0.0);
  const double expected = 0.5 * (-std::log(std::exp(3.0) / z0) - std::log(std::exp(-1.0) / z1));
  Matrix dscores;
  EXPECT_NEAR(softmax_loss(scores, y, dscores), expected, 1e-6);
  EXPECT_NEAR(dscores(0, 1), 0.5 * std::exp(2.0) / z0, 1e-7);
  EXPECT_NEAR(dscores(1, 0), 0.5 * (std::exp(-1.0) / z1 - 1.0), 1e-7);
}

TEST(SoftmaxLoss, HugeScoresStayFinite) {
  Matrix scores(2, 3);
  scores << 1e4f, 0.0f, -1e4f, 1e4f, 1e4f, 0.0f;
  const std::vector<std::int32_t> y = {1, 0};
  Matrix dscores;
  const double loss = softmax_loss(scores, y, dscores);
  ASSERT_TRUE(std::isfinite(loss));
  // Row 0: -log p = 1e4; row 1: two equal top scores, -log p = log 2.
  EXPECT_NEAR(loss, 0.5 * (1e4 + std::log(2.0)), 1e-3);
  EXPECT_TRUE(dscores.allFinite());
  EXPECT_NEAR(dscores(0, 0), 0.5, 1e-7);
  EXPECT_NEAR(dscores(0, 1), -0.5, 1e-7);
  EXPECT_NEAR(dscores(1, 0), -0.25, 1e-7);
  EXPECT_NEAR(dscores(1, 1), 0.25, 1e-7);
}

TEST(SoftmaxLoss, GradientMatchesCenteredDifferences) {
  Rng rng(6);
  Matrix scores = test::random_matrix(5, 4, rng, 2.0);
  const std::vector<std::int32_t> y = {3, 0, 1, 1, 2};
  Matrix dscores;
  softmax_loss(scores, y, dscores);
  EXPECT_LT(dscores.rowwise().sum().cwiseAbs().maxCoeff(), 1e-7f) << "each row sums to 0";
  Matrix scratch;
  const auto objective = [&] { return softmax_loss(scores, y, scratch); };
  // Smooth, with |d3 loss / ds3| <= 1 / n: truncation under 1e-5 at h = 1e-2;
  // float rounding of the loss (1e-7) divided by 2h adds under 1e-5.
  test::expect_gradient_near(dscores.data(),
                             test::numeric_gradient(scores.data(), scores.size(), 1e-2f, objective),
                             1e-3, 1e-4, "dscores");
}

TEST(SoftmaxLoss, RejectsBadLabelsAndCounts) {
  const Matrix scores = Matrix::Zero(2, 3);
  Matrix dscores;
  const std::vector<std::int32_t> negative = {0, -1};
  const std::vector<std::int32_t> too_big = {3, 0};
  const std::vector<std::int32_t> too_few = {0};
  EXPECT_THROW(softmax_loss(scores, negative, dscores), ShapeError);
  EXPECT_THROW(softmax_loss(scores, too_big, dscores), ShapeError);
  EXPECT_THROW(softmax_loss(scores, too_few, dscores), ShapeError);
  EXPECT_THROW(softmax_loss_sum(scores, too_big), ShapeError);
  try {
    check_labels(too_big, 3, "here");
    ADD_FAILURE() << "accepted label 3 of 3 classes";
  } catch (const ShapeError& e) {
    EXPECT_STREQ(e.what(), "here: label 3 at row 0 is outside [0, 3)");
  }
}

}  // namespace
}  // namespace descent

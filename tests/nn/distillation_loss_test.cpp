// The distillation loss: a hand computation in double, its limits (labels
// alone at alpha 0, zero when the student matches the teacher, Hinton's
// high-temperature limit that the T^2 factor makes independent of T), the
// gradient against centered differences, and bad input.
#include "descent/nn/distillation_loss.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/nn/softmax_loss.hpp"
#include "nn/gradient_check.hpp"

namespace descent {
namespace {

// Row-wise softmax of scores / T, in double, cast to float.
Matrix softened(const Matrix& scores, double temperature) {
  Matrix p(scores.rows(), scores.cols());
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    double sum = 0;
    for (Eigen::Index c = 0; c < scores.cols(); ++c) sum += std::exp(scores(i, c) / temperature);
    for (Eigen::Index c = 0; c < scores.cols(); ++c) {
      p(i, c) = static_cast<float>(std::exp(scores(i, c) / temperature) / sum);
    }
  }
  return p;
}

TEST(DistillationLoss, MatchesAHandComputation) {
  Matrix scores(2, 3);
  scores << 1.0f, 2.0f, 3.0f, -1.0f, 0.5f, 0.0f;
  Matrix teacher(2, 3);
  teacher << 0.2f, 0.3f, 0.5f, 0.6f, 0.0f, 0.4f;  // a zero: 0 log 0 counts as 0
  const std::vector<std::int32_t> y = {2, 0};
  const Distillation d{2.0, 0.25};
  // Row 0 by hand: q = softmax((1, 2, 3) / 2), softmax(s) = e^s / z.
  const double zt0 = std::exp(0.5) + std::exp(1.0) + std::exp(1.5);
  const double zt1 = std::exp(-0.5) + std::exp(0.25) + std::exp(0.0);
  const double z0 = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  const double z1 = std::exp(-1.0) + std::exp(0.5) + std::exp(0.0);
  const double soft0 = 0.2 * std::log(0.2 / (std::exp(0.5) / zt0)) +
                       0.3 * std::log(0.3 / (std::exp(1.0) / zt0)) +
                       0.5 * std::log(0.5 / (std::exp(1.5) / zt0));
  const double soft1 =
      0.6 * std::log(0.6 / (std::exp(-0.5) / zt1)) + 0.4 * std::log(0.4 / (1.0 / zt1));
  const double hard0 = -std::log(std::exp(3.0) / z0);
  const double hard1 = -std::log(std::exp(-1.0) / z1);
  const double expected = (0.25 * 4.0 * (soft0 + soft1) + 0.75 * (hard0 + hard1)) / 2.0;
  Matrix dscores;
  EXPECT_NEAR(distillation_loss(scores, y, teacher, d, dscores), expected, 1e-6);
  // dscores(0, 1) = alpha T (q01 - p01) / n + (1 - alpha) softmax(s0)_1 / n
  EXPECT_NEAR(dscores(0, 1),
              0.25 * 2.0 * (std::exp(1.0) / zt0 - 0.3) / 2.0 + 0.75 * std::exp(2.0) / z0 / 2.0,
              1e-7);
  // dscores(1, 0) has the label: (1 - alpha) (softmax(s1)_0 - 1) / n
  EXPECT_NEAR(dscores(1, 0),
              0.25 * 2.0 * (std::exp(-0.5) / zt1 - 0.6) / 2.0 +
                  0.75 * (std::exp(-1.0) / z1 - 1.0) / 2.0,
              1e-7);
}

TEST(DistillationLoss, AlphaZeroIsTheSoftmaxLoss) {
  Rng rng(3);
  const Matrix scores = test::random_matrix(6, 5, rng, 2.0);
  const Matrix teacher = softened(test::random_matrix(6, 5, rng, 2.0), 1.0);
  const std::vector<std::int32_t> y = {4, 0, 1, 1, 3, 2};
  Matrix expected_d;
  const double expected = softmax_loss(scores, y, expected_d);
  Matrix dscores;
  EXPECT_NEAR(distillation_loss(scores, y, teacher, {3.0, 0.0}, dscores), expected, 1e-9);
  EXPECT_LT((dscores - expected_d).cwiseAbs().maxCoeff(), 1e-8f);
}

TEST(DistillationLoss, AStudentThatMatchesTheTeacherHasNoSoftLoss) {
  Rng rng(4);
  const Matrix scores = test::random_matrix(5, 4, rng, 3.0);
  const std::vector<std::int32_t> y = {0, 1, 2, 3, 0};
  for (const double t : {1.0, 4.0, 20.0}) {
    Matrix dscores;
    const double loss = distillation_loss(scores, y, softened(scores, t), {t, 1.0}, dscores);
    EXPECT_NEAR(loss, 0.0, 1e-5 * t * t) << "T = " << t;
    EXPECT_LT(dscores.cwiseAbs().maxCoeff(), 1e-6f) << "T = " << t;
  }
}

// Hinton et al. 2015, section 2.1: for zero-mean logits z (student) and v
// (teacher) and T large against them, d soft / dz ~ (z - v) / (C T^2); with
// the T^2 factor the gradient tends to (z - v) / (C n), the same at every T.
TEST(DistillationLoss, TheSquaredTemperatureKeepsTheGradientScale) {
  Rng rng(5);
  Matrix student = test::random_matrix(3, 10, rng, 1.0);
  Matrix teacher_logits = test::random_matrix(3, 10, rng, 1.0);
  student = student.colwise() - student.rowwise().mean();
  teacher_logits = teacher_logits.colwise() - teacher_logits.rowwise().mean();
  const std::vector<std::int32_t> y = {1, 2, 3};
  const Matrix limit = (student - teacher_logits) / (10.0f * 3.0f);
  for (const double t : {50.0, 200.0}) {
    Matrix dscores;
    distillation_loss(student, y, softened(teacher_logits, t), {t, 1.0}, dscores);
    // The next term of the expansion is O(|z|^2 / T) relative.
    EXPECT_LT((dscores - limit).cwiseAbs().maxCoeff(), 0.1 * limit.cwiseAbs().maxCoeff() * 50 / t)
        << "T = " << t;
  }
}

TEST(DistillationLoss, GradientMatchesCenteredDifferences) {
  Rng rng(6);
  Matrix scores = test::random_matrix(5, 4, rng, 2.0);
  const Matrix teacher = softened(test::random_matrix(5, 4, rng, 2.0), 1.0);
  const std::vector<std::int32_t> y = {3, 0, 1, 1, 2};
  for (const Distillation d : {Distillation{1.0, 0.5}, Distillation{4.0, 0.9},
                               Distillation{20.0, 1.0}}) {
    Matrix dscores;
    distillation_loss(scores, y, teacher, d, dscores);
    Matrix scratch;
    const auto objective = [&] { return distillation_loss(scores, y, teacher, d, scratch); };
    // The third derivative of the soft term grows as 1/T, its T^2 factor
    // makes the loss's rounding T^2 larger: h = 1e-2 keeps both under 1e-4.
    test::expect_gradient_near(
        dscores.data(), test::numeric_gradient(scores.data(), scores.size(), 1e-2f, objective),
        1e-3, 2e-4 * d.temperature, "dscores at T = " + std::to_string(d.temperature));
  }
}

TEST(DistillationLoss, RejectsBadShapesAndSettings) {
  const Matrix scores = Matrix::Zero(2, 3);
  const std::vector<std::int32_t> y = {0, 1};
  Matrix dscores;
  EXPECT_THROW(distillation_loss(scores, y, Matrix::Zero(2, 4), {}, dscores), ShapeError);
  EXPECT_THROW(distillation_loss(scores, y, Matrix::Zero(1, 3), {}, dscores), ShapeError);
  const std::vector<std::int32_t> bad = {0, 3};
  EXPECT_THROW(distillation_loss(scores, bad, Matrix::Zero(2, 3), {}, dscores), ShapeError);
  try {
    Distillation{0.0, 0.5}.validate();
    ADD_FAILURE() << "temperature 0 accepted";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "temperature: expected a finite value > 0, got 0");
  }
  EXPECT_THROW((Distillation{2.0, 1.5}.validate()), ConfigError);
  EXPECT_THROW((Distillation{2.0, -0.1}.validate()), ConfigError);
  EXPECT_THROW((Distillation{NAN, 0.5}.validate()), ConfigError);
}

}  // namespace
}  // namespace descent

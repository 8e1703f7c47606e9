#include "descent/optim/adamax.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "descent/optim/registry.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// torch.optim.Adamax. The reference gradients change scale between steps, so u
// comes from beta2 * u on some steps and from |dw| + eps on others.
TEST(Adamax, MatchesTorch) { expect_matches_torch("adamax"); }

// By hand, one weight, lr 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8.
// Step 1, dw = 2:    m = 0.2,  u = max(0, 2 + 1e-8) = 2.00000001
//   w = 1 - 0.1 / (1 - 0.9) * 0.2 / 2.00000001 = 0.9000000005
// Step 2, dw = -0.5: m = 0.18 - 0.05 = 0.13,
//   u = max(0.999 * 2.00000001, 0.50000001) = 1.99800000999   (the decayed u)
//   w = 0.9000000005 - 0.1 / 0.19 * 0.13 / 1.99800000999 = 0.8657552295843475
// Step 3, dw = 3:    m = 0.117 + 0.3 = 0.417,
//   u = max(0.999 * 1.99800000999, 3.00000001) = 3.00000001   (the new |dw|)
//   w = 0.8657552295843475 - 0.1 / 0.271 * 0.417 / 3.00000001 = 0.81446371684019
TEST(Adamax, FirstStepsByHand) {
  Adamax<double> adamax;
  std::vector<double> w = {1.0};
  adamax.step(w, std::vector<double>{2.0}, 0.1);
  EXPECT_NEAR(w[0], 0.9000000005, 1e-15);
  adamax.step(w, std::vector<double>{-0.5}, 0.1);
  EXPECT_NEAR(w[0], 0.8657552295843475, 1e-15);
  adamax.step(w, std::vector<double>{3.0}, 0.1);
  EXPECT_NEAR(w[0], 0.81446371684019, 1e-15);
}

// eps sits inside the maximum, so u >= eps: a weight whose gradients have all
// been 0 stays put instead of taking 0 / 0 (the paper's u = max(beta2 u, |dw|)).
TEST(Adamax, ZeroGradientsLeaveTheWeightAlone) {
  Adamax<float> adamax;
  std::vector<float> w = {0.25f, -1.0f};
  adamax.step(w, std::vector<float>{0.0f, 1.0f}, 0.1f);
  adamax.step(w, std::vector<float>{0.0f, 1.0f}, 0.1f);
  EXPECT_EQ(w[0], 0.25f);
  EXPECT_TRUE(std::isfinite(w[1]));
}

TEST(Adamax, ResumesFromSavedStateBitForBit) {
  expect_resume_matches_uninterrupted<float>([] { return std::make_unique<Adamax<float>>(); });
  expect_resume_matches_uninterrupted<double>([] { return std::make_unique<Adamax<double>>(); });
}

TEST(Adamax, SameBitsAtOneAndTwoThreads) {
  expect_same_at_one_and_two_threads<float>([] { return std::make_unique<Adamax<float>>(); },
                                            Groups::two);
  expect_same_at_one_and_two_threads<double>([] { return std::make_unique<Adamax<double>>(); },
                                             Groups::two);
}

TEST(Adamax, ConvergesOnTheSphere) {
  Adamax<double> adamax;
  EXPECT_LT(sphere_after(adamax, 3000, 0.1, 0.997), 1e-8);
}

TEST(Adamax, RejectsBadHyperparameters) {
  expect_bad_hyperparameters_rejected<AdamaxConfig, Adamax>("adamax", "momentum");
}

TEST(Adamax, IsRegistered) {
  EXPECT_EQ(make_optimizer<float>("adamax")->name(), "adamax");
  EXPECT_DOUBLE_EQ(default_learning_rate("adamax"), 2e-3);
}

}  // namespace
}  // namespace descent

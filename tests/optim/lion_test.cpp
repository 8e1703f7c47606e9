#include "descent/optim/lion.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "descent/optim/registry.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// PyTorch 1.13 has no Lion: three steps by hand with beta1 = 0.9, beta2 = 0.99,
// weight decay 0.5, from w = (1, -2, 0.5) and m = 0.
// Step 1, dw = (0.3, -0.2, 0), lr 0.1:
//   c = 0.1 dw = (0.03, -0.02, 0), sign(c) = (1, -1, 0)      (sign(0) = 0)
//   w = (1 - 0.1 (1 + 0.5),  -2 - 0.1 (-1 - 1),  0.5 - 0.1 (0 + 0.25)) = (0.85, -1.8, 0.475)
//   m = 0.01 dw = (0.003, -0.002, 0)
// Step 2, dw = (-0.01, -0.5, 1), lr 0.05:
//   c = 0.9 m + 0.1 dw = (0.0027 - 0.001, -0.0018 - 0.05, 0.1) = (0.0017, -0.0518, 0.1)
//   sign(c) = (1, -1, 1): the first weight follows m against its gradient.
//   w = (0.85 - 0.05 (1 + 0.425), -1.8 - 0.05 (-1 - 0.9), 0.475 - 0.05 (1 + 0.2375))
//     = (0.77875, -1.705, 0.413125)
//   m = 0.99 m + 0.01 dw = (0.00297 - 0.0001, -0.00198 - 0.005, 0.01) = (0.00287, -0.00698, 0.01)
// Step 3, dw = (-0.03, 0.07, -0.0005), lr 0.1:
//   c = 0.9 m + 0.1 dw = (0.002583 - 0.003, -0.006282 + 0.007, 0.009 - 0.00005)
//     = (-0.000417, 0.000718, 0.00895), sign(c) = (-1, 1, 1)
//   (had m decayed with beta1 instead of beta2, c would be (0.0204, ...) and the
//   first sign +1)
//   w = (0.77875 - 0.1 (-1 + 0.389375), -1.705 - 0.1 (1 - 0.8525), 0.413125 - 0.1 (1 + 0.2065625))
//     = (0.8398125, -1.71975, 0.29246875)
TEST(Lion, ThreeStepsByHand) {
  LionConfig config;
  config.weight_decay = 0.5;
  Lion<double> lion(config);
  std::vector<double> w = {1.0, -2.0, 0.5};
  lion.step(w, std::vector<double>{0.3, -0.2, 0.0}, 0.1);
  EXPECT_NEAR(w[0], 0.85, 1e-15);
  EXPECT_NEAR(w[1], -1.8, 1e-15);
  EXPECT_NEAR(w[2], 0.475, 1e-15);
  lion.step(w, std::vector<double>{-0.01, -0.5, 1.0}, 0.05);
  EXPECT_NEAR(w[0], 0.77875, 1e-15);
  EXPECT_NEAR(w[1], -1.705, 1e-15);
  EXPECT_NEAR(w[2], 0.413125, 1e-15);
  lion.step(w, std::vector<double>{-0.03, 0.07, -0.0005}, 0.1);
  EXPECT_NEAR(w[0], 0.8398125, 1e-15);
  EXPECT_NEAR(w[1], -1.71975, 1e-15);
  EXPECT_NEAR(w[2], 0.29246875, 1e-15);
}

// Every weight moves by exactly lr whatever the gradient's size (without
// decay, and with powers of two so that the arithmetic is exact).
TEST(Lion, StepsHaveSizeLearningRate) {
  Lion<float> lion;
  std::vector<float> w = {1.0f, 1.0f, 1.0f};
  lion.step(w, std::vector<float>{1e-20f, -3e4f, 0.5f}, 0.125f);
  EXPECT_EQ(w, (std::vector<float>{0.875f, 1.125f, 0.875f}));
}

// The decay is decoupled: the default config has none, a group may set it.
TEST(Lion, GroupWeightDecayIsDecoupled) {
  Lion<double> lion;
  lion.set_groups({{0, 1, 1.0, std::nullopt}, {1, 2, 1.0, 0.5}});
  std::vector<double> w = {2.0, 2.0};
  lion.step(w, std::vector<double>{1.0, 1.0}, 0.1);
  EXPECT_NEAR(w[0], 2.0 - 0.1, 1e-15);
  EXPECT_NEAR(w[1], 2.0 - 0.1 * (1 + 0.5 * 2.0), 1e-15);
}

TEST(Lion, ResumesFromSavedStateBitForBit) {
  expect_resume_matches_uninterrupted<float>([] { return std::make_unique<Lion<float>>(); });
  expect_resume_matches_uninterrupted<double>([] { return std::make_unique<Lion<double>>(); });
}

TEST(Lion, SameBitsAtOneAndTwoThreads) {
  expect_same_at_one_and_two_threads<float>([] { return std::make_unique<Lion<float>>(); },
                                            Groups::two);
  expect_same_at_one_and_two_threads<double>([] { return std::make_unique<Lion<double>>(); },
                                             Groups::two);
}

TEST(Lion, ConvergesOnTheSphere) {
  Lion<double> lion;
  EXPECT_LT(sphere_after(lion, 3000, 0.1, 0.997), 1e-8);
}

TEST(Lion, RejectsBadHyperparameters) {
  expect_bad_hyperparameters_rejected<LionConfig, Lion>("lion", "eps");
}

TEST(Lion, IsRegistered) {
  EXPECT_EQ(make_optimizer<float>("lion")->name(), "lion");
  EXPECT_DOUBLE_EQ(default_learning_rate("lion"), 1e-4);
}

}  // namespace
}  // namespace descent

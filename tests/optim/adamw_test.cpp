#include "descent/optim/adamw.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "descent/optim/adam.hpp"
#include "descent/optim/registry.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// torch.optim.AdamW: its default decay 1e-2, and decay 0.1 with other betas.
TEST(AdamW, MatchesTorch) { expect_matches_torch("adamw"); }

// With a zero gradient Adam's step is 0 / (0 + eps) = 0, leaving the decay
// alone: w = 2 - lr * wd * w = 2 - 0.1 * 0.5 * 2 = 1.9, then 1.9 - 0.05 * 0.5 * 1.9 = 1.8525.
TEST(AdamW, DecayIsScaledByTheLearningRate) {
  AdamWConfig config;
  config.weight_decay = 0.5;
  AdamW<double> adamw(config);
  std::vector<double> w = {2.0};
  adamw.step(w, std::vector<double>{0.0}, 0.1);
  EXPECT_NEAR(w[0], 1.9, 1e-15);
  adamw.step(w, std::vector<double>{0.0}, 0.05);
  EXPECT_NEAR(w[0], 1.8525, 1e-15);
}

// Decoupled: the decay never reaches m and v. AdamW equals shrinking w by
// lr * wd and then taking decay-free Adam's step on the same gradient.
TEST(AdamW, DecayIsDecoupledFromTheMoments) {
  AdamWConfig config;
  config.weight_decay = 0.2;
  AdamW<double> adamw(config);
  Adam<double> adam;
  std::vector<double> a = {1.0, -2.0}, b = a;
  const double lr = 0.05;
  for (const double g : {0.5, -0.25, 1.0}) {
    adamw.step(a, std::vector<double>{g, -g}, lr);
    for (double& w : b) w -= lr * 0.2 * w;
    adam.step(b, std::vector<double>{g, -g}, lr);
  }
  EXPECT_NEAR(a[0], b[0], 1e-15);
  EXPECT_NEAR(a[1], b[1], 1e-15);
}

// A group's own weight decay replaces the config's: a group with decay 0
// follows AdamW without decay.
TEST(AdamW, GroupWeightDecayOverridesTheDefault) {
  AdamW<double> grouped;
  grouped.set_groups({{0, 2, 1.0, std::nullopt}, {2, 4, 1.0, 0.0}});
  AdamW<double> decayed;
  AdamWConfig no_decay;
  no_decay.weight_decay = 0;
  AdamW<double> undecayed(no_decay);
  std::vector<double> w = {1.0, -2.0, 1.0, -2.0}, d = {1.0, -2.0}, u = {1.0, -2.0};
  for (const double g : {0.5, -0.25}) {
    grouped.step(w, std::vector<double>{g, g, g, g}, 0.1);
    decayed.step(d, std::vector<double>{g, g}, 0.1);
    undecayed.step(u, std::vector<double>{g, g}, 0.1);
  }
  EXPECT_EQ(w[0], d[0]);
  EXPECT_EQ(w[1], d[1]);
  EXPECT_EQ(w[2], u[0]);
  EXPECT_EQ(w[3], u[1]);
  EXPECT_NE(d[0], u[0]);
}

TEST(AdamW, ResumesFromSavedStateBitForBit) {
  expect_resume_matches_uninterrupted<float>([] { return std::make_unique<AdamW<float>>(); });
  expect_resume_matches_uninterrupted<double>([] { return std::make_unique<AdamW<double>>(); });
}

TEST(AdamW, SameBitsAtOneAndTwoThreads) {
  expect_same_at_one_and_two_threads<float>([] { return std::make_unique<AdamW<float>>(); },
                                            Groups::two);
  expect_same_at_one_and_two_threads<double>([] { return std::make_unique<AdamW<double>>(); },
                                             Groups::two);
}

TEST(AdamW, ConvergesOnTheSphere) {
  AdamW<double> adamw;
  EXPECT_LT(sphere_after(adamw, 3000, 0.1, 0.997), 1e-8);
}

TEST(AdamW, RejectsBadHyperparameters) {
  expect_bad_hyperparameters_rejected<AdamWConfig, AdamW>("adamw", "momentum");
}

TEST(AdamW, IsRegisteredWithTorchDefaults) {
  EXPECT_EQ(make_optimizer<float>("adamw")->name(), "adamw");
  EXPECT_DOUBLE_EQ(default_learning_rate("adamw"), 1e-3);
  EXPECT_DOUBLE_EQ(AdamWConfig{}.weight_decay, 1e-2);
}

}  // namespace
}  // namespace descent

#include "descent/optim/nadam.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "descent/optim/registry.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// torch.optim.NAdam with torch 2.0's look-ahead product (see nadam.hpp and
// the generator), with its default psi and with psi = 0.02.
TEST(NAdam, MatchesTorch) { expect_matches_torch("nadam"); }

// torch 1.13's NAdam multiplies mu_t into the look-ahead product twice; over
// 40 steps that moves the weights by more than 1e-4, a million times the
// tolerance the fixed formula meets.
TEST(NAdam, DiffersFromTorch113sLookAheadProduct) {
  const json c = reference_case("nadam_torch113", "fixed_gradients");
  EXPECT_GT(fixed_gradient_deviation<double>("nadam", c), 1e-4);
}

// By hand, the first step (psi = 4e-3, lr 0.1, dw = 2):
//   mu_1 = 0.9 * (1 - 0.5 * 0.96**0.004) = 0.9 * (1 - 0.5 * 0.99983672535) = 0.45007347359129607
//   mu_2 = 0.9 * (1 - 0.5 * 0.96**0.008) = 0.4501469351862175
//   m = 0.1 * 2 = 0.2, v = 0.001 * 4, v_hat = 4
//   m_hat = mu_2 * 0.2 / (1 - mu_1 mu_2) + (1 - mu_1) * 2 / (1 - mu_1)
//         = 2 * (0.1 * 0.45014694 / (1 - 0.20259919) + 1) = 2 * 1.0564517783553882
//   w = 1 - 0.1 * 2 * 1.0564517783553882 / (2 + 1e-8) = 0.8943548226926871
TEST(NAdam, FirstStepByHand) {
  NAdam<double> nadam;
  std::vector<double> w = {1.0};
  nadam.step(w, std::vector<double>{2.0}, 0.1);
  EXPECT_NEAR(w[0], 0.8943548226926871, 1e-15);
}

// update() runs once per parameter group; the product of the mu's must still
// advance once per step, so groups that change nothing change no bit.
TEST(NAdam, ParameterGroupsAdvanceTheMomentumProductOncePerStep) {
  NAdam<double> whole, grouped;
  grouped.set_groups({{0, 1, 1.0, std::nullopt}, {1, 2, 1.0, std::nullopt}, {2, 3, 1.0, 0.0}});
  std::vector<double> a = {1.0, -2.0, 0.5}, b = a;
  for (const double g : {0.5, -0.25, 1.0, 2.0}) {
    const std::vector<double> grads = {g, -g, 0.5 * g};
    whole.step(a, grads, 0.1);
    grouped.step(b, grads, 0.1);
  }
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)), 0);
}

TEST(NAdam, ResumesFromSavedStateBitForBit) {
  expect_resume_matches_uninterrupted<float>([] { return std::make_unique<NAdam<float>>(); });
  expect_resume_matches_uninterrupted<double>([] { return std::make_unique<NAdam<double>>(); });
}

TEST(NAdam, SameBitsAtOneAndTwoThreads) {
  expect_same_at_one_and_two_threads<float>([] { return std::make_unique<NAdam<float>>(); },
                                            Groups::two);
  expect_same_at_one_and_two_threads<double>([] { return std::make_unique<NAdam<double>>(); },
                                             Groups::two);
}

TEST(NAdam, ConvergesOnTheSphere) {
  NAdam<double> nadam;
  EXPECT_LT(sphere_after(nadam, 3000, 0.1, 0.997), 1e-8);
}

TEST(NAdam, RejectsBadHyperparameters) {
  expect_bad_hyperparameters_rejected<NAdamConfig, NAdam>("nadam", "momentum");
  expect_config_error(
      [] {
        NAdamConfig c;
        c.momentum_decay = -1e-3;
        NAdam<float> nadam(c);
      },
      "momentum-decay");
}

TEST(NAdam, IsRegistered) {
  EXPECT_EQ(make_optimizer<float>("nadam")->name(), "nadam");
  EXPECT_DOUBLE_EQ(default_learning_rate("nadam"), 2e-3);
  OptimizerOptions options;
  options["momentum-decay"] = 0.01;
  EXPECT_EQ(make_optimizer<double>("nadam", options)->name(), "nadam");
}

}  // namespace
}  // namespace descent

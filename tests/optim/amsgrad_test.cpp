#include "descent/optim/amsgrad.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "descent/optim/adam.hpp"
#include "descent/optim/registry.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// torch.optim.Adam(amsgrad=True). The reference gradients drop in scale
// (x3 to x0.2 to x0.05 between steps), so v falls below v_max often.
TEST(Amsgrad, MatchesTorch) { expect_matches_torch("amsgrad"); }

// By hand, one weight, dw = 1 then 0 (lr 0.1): v falls and v_max holds.
// Step 1: m = 0.1, v = v_max = 0.001, m_hat = 1, v_hat = 1:
//   w = 1 - 0.1 * 1 / (1 + 1e-8) = 0.900000001
// Step 2: m = 0.09, v = 0.000999, v_max = 0.001,
//   m_hat = 0.09 / 0.19 = 0.47368421052631576
//   v_hat = v_max / (1 - 0.998001) = 0.001 / 0.001999 = 0.5002501250625
//   w = 0.900000001 - 0.1 * 0.47368421052631576 / (0.7072836242007434 + 1e-8)
//     = 0.8330276878258663
// Adam (v / 0.001999 = 0.49974987) would give 0.83299...; the maximum of the
// bias-corrected v_hat (max(1, 0.4997) = 1) would give 0.85263...
TEST(Amsgrad, KeepsTheLargestUncorrectedSecondMoment) {
  Amsgrad<double> amsgrad;
  Adam<double> adam;
  std::vector<double> w = {1.0}, a = {1.0};
  amsgrad.step(w, std::vector<double>{1.0}, 0.1);
  adam.step(a, std::vector<double>{1.0}, 0.1);
  EXPECT_NEAR(w[0], 0.900000001, 1e-15);
  EXPECT_EQ(w[0], a[0]);
  amsgrad.step(w, std::vector<double>{0.0}, 0.1);
  adam.step(a, std::vector<double>{0.0}, 0.1);
  EXPECT_NEAR(w[0], 0.8330276878258663, 1e-15);
  EXPECT_GT(std::abs(w[0] - a[0]), 1e-5);
  EXPECT_GT(std::abs(w[0] - (0.900000001 - 0.1 * 0.47368421052631576 / (1 + 1e-8))), 1e-2);
}

TEST(Amsgrad, ResumesFromSavedStateBitForBit) {
  expect_resume_matches_uninterrupted<float>([] { return std::make_unique<Amsgrad<float>>(); });
  expect_resume_matches_uninterrupted<double>([] { return std::make_unique<Amsgrad<double>>(); });
}

TEST(Amsgrad, SameBitsAtOneAndTwoThreads) {
  expect_same_at_one_and_two_threads<float>([] { return std::make_unique<Amsgrad<float>>(); },
                                            Groups::two);
  expect_same_at_one_and_two_threads<double>([] { return std::make_unique<Amsgrad<double>>(); },
                                             Groups::two);
}

TEST(Amsgrad, ConvergesOnTheSphere) {
  Amsgrad<double> amsgrad;
  EXPECT_LT(sphere_after(amsgrad, 3000, 0.1, 0.997), 1e-8);
}

TEST(Amsgrad, RejectsBadHyperparameters) {
  expect_bad_hyperparameters_rejected<AmsgradConfig, Amsgrad>("amsgrad", "momentum-decay");
}

TEST(Amsgrad, IsRegistered) {
  EXPECT_EQ(make_optimizer<float>("amsgrad")->name(), "amsgrad");
  EXPECT_DOUBLE_EQ(default_learning_rate("amsgrad"), 1e-3);
}

}  // namespace
}  // namespace descent

#include "descent/optim/radam.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "descent/optim/registry.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// torch.optim.RAdam over 40 steps, past the switch at t = 6 (beta2 0.999 and
// 0.99). The tiny-gradient case pins eps on the uncorrected sqrt(v): there
// sqrt(v) ~ 2e-9 at t = 6 is below eps while sqrt(v_hat) ~ 3e-8 is above it,
// and Adam's placement, sqrt(v_hat) + eps, ends 0.03 away from torch.
TEST(RAdam, MatchesTorch) { expect_matches_torch("radam"); }

// By hand, a constant dw = 2 from w = 1.5 at lr 0.1, beta2 = 0.999:
// rho_inf = 2 / 0.001 - 1 = 1999, rho_t = 1999 - 2 t 0.999^t / (1 - 0.999^t)
//   = 1, 1.9995, 2.9987, 3.9975, 4.9960 for t = 1..5: no rectification, and
//   m_hat = dw = 2, so each step is lr * 2 = 0.2: w = 1.3, 1.1, 0.9, 0.7, 0.5.
// t = 6: rho_6 = 5.994163751655833 > 5,
//   r = sqrt(1.99416 * 3.99416 * 1999 / (1995 * 1997 * 5.99416)) = 0.02582111280185855
//   l = sqrt(1 - 0.999^6) / (sqrt(v) + eps) = 0.0773629109 / (0.1547258218 + 1e-8)
//     = 0.4999999676847754
//   w = 0.5 - 0.1 * 0.02582111280185855 * 2 * 0.4999999676847754 = 0.49741788888669736
TEST(RAdam, SwitchesToTheRectifiedStepAtStepSix) {
  RAdam<double> radam;
  std::vector<double> w = {1.5};
  const std::vector<double> expected = {1.3, 1.1, 0.9, 0.7, 0.5, 0.49741788888669736};
  for (const double e : expected) {
    radam.step(w, std::vector<double>{2.0}, 0.1);
    EXPECT_NEAR(w[0], e, 1e-15) << "step " << radam.steps();
  }
}

TEST(RAdam, ResumesFromSavedStateBitForBit) {
  expect_resume_matches_uninterrupted<float>([] { return std::make_unique<RAdam<float>>(); });
  expect_resume_matches_uninterrupted<double>([] { return std::make_unique<RAdam<double>>(); });
}

// Seven steps, so that both the plain and the rectified loops run.
TEST(RAdam, SameBitsAtOneAndTwoThreads) {
  expect_same_at_one_and_two_threads<float>([] { return std::make_unique<RAdam<float>>(); },
                                            Groups::two, 7);
  expect_same_at_one_and_two_threads<double>([] { return std::make_unique<RAdam<double>>(); },
                                             Groups::two, 7);
}

TEST(RAdam, ConvergesOnTheSphere) {
  RAdam<double> radam;
  EXPECT_LT(sphere_after(radam, 3000, 0.1, 0.997), 1e-8);
}

TEST(RAdam, RejectsBadHyperparameters) {
  expect_bad_hyperparameters_rejected<RAdamConfig, RAdam>("radam", "momentum-decay");
}

TEST(RAdam, IsRegistered) {
  EXPECT_EQ(make_optimizer<float>("radam")->name(), "radam");
  EXPECT_DOUBLE_EQ(default_learning_rate("radam"), 1e-3);
}

}  // namespace
}  // namespace descent

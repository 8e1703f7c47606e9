#include "descent/optim/adam.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "descent/optim/registry.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// torch.optim.Adam on fixed gradients with lr changed every step, with weight
// decay and other betas, on gradients of 1e-7 (eps as large as sqrt(v_hat)),
// and on Rosenbrock.
TEST(Adam, MatchesTorch) { expect_matches_torch("adam"); }

// By hand, beta1 = 0.9, beta2 = 0.999, eps = 1e-8.
// Step 1 (lr 0.1): m = 0.1 dw, v = 0.001 dw^2, so m_hat = dw, v_hat = dw^2 and
// every weight moves by lr * dw / (|dw| + eps), lr * sign(dw) to 5e-9 relative:
//   w0 = 1  - 0.1 * 2    / (2   + 1e-8) = 0.9000000005
//   w1 = -3 - 0.1 * -0.5 / (0.5 + 1e-8) = -2.900000002
// Step 2 (lr 0.05), dw = (-1, -0.5):
//   m0 = 0.9 * 0.2 + 0.1 * -1 = 0.08,  v0 = 0.999 * 0.004 + 0.001 * 1 = 0.004996
//   m_hat0 = 0.08 / (1 - 0.81) = 0.42105263157894737
//   v_hat0 = 0.004996 / (1 - 0.998001) = 2.4992496248124062, sqrt = 1.5809015228066683
//   w0 = 0.9000000005 - 0.05 * 0.42105263157894737 / (1.5809015228066683 + 1e-8)
//      = 0.8866831486012158
//   w1: dw is constant, so m_hat1 = -0.5 and v_hat1 = 0.25 again:
//   w1 = -2.900000002 + 0.05 * 0.5 / (0.5 + 1e-8) = -2.850000003
TEST(Adam, FirstStepsByHand) {
  Adam<double> adam;
  std::vector<double> w = {1.0, -3.0};
  adam.step(w, std::vector<double>{2.0, -0.5}, 0.1);
  EXPECT_NEAR(w[0], 0.9000000005, 1e-15);
  EXPECT_NEAR(w[1], -2.900000002, 1e-15);
  adam.step(w, std::vector<double>{-1.0, -0.5}, 0.05);
  EXPECT_NEAR(w[0], 0.8866831486012158, 1e-15);
  EXPECT_NEAR(w[1], -2.850000003, 1e-15);
}

// Where eps goes, computed by formula on one weight for each variant:
// outside the root (the notes, torch), inside it, added to the uncorrected
// sqrt(v), or left out. The implementation matches only the first, and the
// others are at least 1e4 times the tolerance used against torch away.
enum class EpsAt { kOutsideRoot, kInsideRoot, kUncorrectedRoot, kNowhere };

double adam_by_formula(EpsAt where, const std::vector<double>& grads, double lr) {
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double w = 0.5, m = 0, v = 0;
  for (std::size_t k = 0; k < grads.size(); ++k) {
    const double t = static_cast<double>(k + 1), dw = grads[k];
    m = beta1 * m + (1 - beta1) * dw;
    v = beta2 * v + (1 - beta2) * dw * dw;
    const double m_hat = m / (1 - std::pow(beta1, t));
    const double v_hat = v / (1 - std::pow(beta2, t));
    switch (where) {
      case EpsAt::kOutsideRoot:
        w -= lr * m_hat / (std::sqrt(v_hat) + eps);
        break;
      case EpsAt::kInsideRoot:
        w -= lr * m_hat / std::sqrt(v_hat + eps);
        break;
      case EpsAt::kUncorrectedRoot:
        w -= lr * m_hat * std::sqrt(1 - std::pow(beta2, t)) / (std::sqrt(v) + eps);
        break;
      case EpsAt::kNowhere:
        w -= lr * m_hat / std::sqrt(v_hat);
        break;
    }
  }
  return w;
}

TEST(Adam, EpsIsOutsideTheSquareRoot) {
  // Gradients of 1e-5: sqrt(v_hat) ~ 1e-5 is 1000 eps, and sqrt(v) at t = 1 is
  // 30 eps; so eps changes each step by 1e-3 relative outside the root, by 3%
  // on the uncorrected root, and tenfold inside it.
  const std::vector<double> grads = {1e-5, -2e-5, 3e-5, 0.5e-5};
  const double lr = 0.1;
  Adam<double> adam;
  std::vector<double> w = {0.5};
  for (const double g : grads) adam.step(w, std::vector<double>{g}, lr);

  EXPECT_NEAR(w[0], adam_by_formula(EpsAt::kOutsideRoot, grads, lr), 1e-15);
  for (const EpsAt other : {EpsAt::kInsideRoot, EpsAt::kUncorrectedRoot, EpsAt::kNowhere}) {
    EXPECT_GT(std::abs(w[0] - adam_by_formula(other, grads, lr)), 1e4 * kDoubleTolerance)
        << static_cast<int>(other);
  }
}

// Weight decay is L2 in the gradient: the same as decay-free Adam on dw + wd * w.
TEST(Adam, WeightDecayIsAddedToTheGradient) {
  AdamConfig config;
  config.weight_decay = 0.1;
  Adam<double> decayed(config), plain;
  std::vector<double> a = {1.0, -2.0}, b = a;
  for (const double g : {0.5, -0.25, 1.0}) {
    decayed.step(a, std::vector<double>{g, g}, 0.01);
    plain.step(b, std::vector<double>{g + 0.1 * b[0], g + 0.1 * b[1]}, 0.01);
  }
  EXPECT_NEAR(a[0], b[0], 1e-15);
  EXPECT_NEAR(a[1], b[1], 1e-15);
}

TEST(Adam, ResumesFromSavedStateBitForBit) {
  expect_resume_matches_uninterrupted<float>([] { return std::make_unique<Adam<float>>(); });
  expect_resume_matches_uninterrupted<double>([] { return std::make_unique<Adam<double>>(); });
}

TEST(Adam, SameBitsAtOneAndTwoThreads) {
  expect_same_at_one_and_two_threads<float>([] { return std::make_unique<Adam<float>>(); },
                                            Groups::two);
  expect_same_at_one_and_two_threads<double>([] { return std::make_unique<Adam<double>>(); },
                                             Groups::two);
}

TEST(Adam, ConvergesOnTheSphere) {
  Adam<double> adam;
  EXPECT_LT(sphere_after(adam, 3000, 0.1, 0.997), 1e-8);
}

TEST(Adam, RejectsBadHyperparameters) {
  expect_bad_hyperparameters_rejected<AdamConfig, Adam>("adam", "momentum");
}

TEST(Adam, IsRegisteredWithTheNotesLearningRate) {
  EXPECT_EQ(make_optimizer<float>("adam")->name(), "adam");
  EXPECT_DOUBLE_EQ(default_learning_rate("adam"), 1e-3);
}

}  // namespace
}  // namespace descent

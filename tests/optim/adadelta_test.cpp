#include "descent/optim/adadelta.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// Against torch.optim.Adadelta, plain and with weight decay, at a learning
// rate that changes between steps. Double: O(1) values, rounding-only
// differences. Float: 24-bit inputs, ~10 roundings per step over 8 steps,
// and early steps of size ~sqrt(eps) / sqrt(E[g^2]) keep |w| < 5: 1.5e-5.
TEST(Adadelta, MatchesTorchInDouble) {
  expect_fixed_gradients_match_torch<double>("adadelta", kDoubleBound);
}

TEST(Adadelta, MatchesTorchInFloat) {
  expect_fixed_gradients_match_torch<float>("adadelta", 1.5e-5);
}

TEST(Adadelta, MatchesTorchOnRosenbrock) {
  expect_rosenbrock_matches_torch("adadelta", kDoubleBound);
}

// rho = 0.75, eps = 1, w = 0, lr = 2, dw = 4; every value is exact:
//   E[g^2] = 0.25 * 16 = 4
//   dx = sqrt(0 + 1) / sqrt(4 + 1) * 4 = 4 / sqrt(5)
//   E[dx^2] = 0.25 * 16 / 5 = 0.8
//   w = 0 - 2 * 4 / sqrt(5)
// then dw = 2 at lr = 1:
//   E[g^2] = 0.75 * 4 + 0.25 * 4 = 4
//   dx = sqrt(0.8 + 1) / sqrt(4 + 1) * 2 = 2 * sqrt(0.36) = 1.2
//   w = -8 / sqrt(5) - 1.2
TEST(Adadelta, HandDerivedSteps) {
  AdadeltaConfig c;
  c.rho = 0.75;
  c.eps = 1;
  Adadelta<double> adadelta(c);
  std::vector<double> w = {0.0};
  adadelta.step(w, std::vector<double>{4.0}, 2.0);
  EXPECT_DOUBLE_EQ(w[0], -8.0 / std::sqrt(5.0));
  adadelta.step(w, std::vector<double>{2.0}, 1.0);
  EXPECT_DOUBLE_EQ(w[0], -8.0 / std::sqrt(5.0) - 1.2);
}

// eps inside both roots (Zeiler's RMS[x] = sqrt(E[x^2] + eps)) against eps
// added outside them, over two steps at the defaults rho = 0.9, eps = 1e-6.
// Outside, the first step would be eps / (|dw| sqrt(0.1) + eps) * dw, about
// 1e-6 instead of 1e-3: the check allows a relative 1e-14.
TEST(Adadelta, EpsIsInsideTheSquareRoots) {
  const double rho = 0.9, eps = 1e-6;
  const std::vector<double> grads = {0.5, -0.25};
  const auto run = [&](bool inside) {
    double eg2 = 0, edx2 = 0, w = 0;
    for (const double dw : grads) {
      eg2 = rho * eg2 + (1 - rho) * dw * dw;
      const double dx = inside ? std::sqrt(edx2 + eps) / std::sqrt(eg2 + eps) * dw
                               : (std::sqrt(edx2) + eps) / (std::sqrt(eg2) + eps) * dw;
      edx2 = rho * edx2 + (1 - rho) * dx * dx;
      w -= dx;
    }
    return w;
  };
  Adadelta<double> adadelta;
  std::vector<double> w = {0.0};
  for (const double dw : grads) adadelta.step(w, std::vector<double>{dw}, 1.0);
  EXPECT_NEAR(w[0], run(true), 1e-14 * std::abs(run(true)));
  EXPECT_GT(std::abs(w[0] - run(false)), 1e-9);
}

TEST(Adadelta, ResumesFromSavedStateAsIfUninterrupted) {
  AdadeltaConfig decayed;
  decayed.rho = 0.95;
  decayed.weight_decay = 0.01;
  for (const AdadeltaConfig& c : {AdadeltaConfig{}, decayed}) {
    expect_resume_matches_uninterrupted<double>(
        [c] { return std::make_unique<Adadelta<double>>(c); }, 0.8);
    expect_resume_matches_uninterrupted<float>([c] { return std::make_unique<Adadelta<float>>(c); },
                                               0.8);
  }
}

TEST(Adadelta, RejectsBadHyperparametersNamingTheField) {
  const auto with = [](auto set) {
    return [set] {
      AdadeltaConfig c;
      set(c);
      Adadelta<double> a(c);
    };
  };
  expect_config_error(with([](AdadeltaConfig& c) { c.rho = 1.0; }), "rho");
  expect_config_error(with([](AdadeltaConfig& c) { c.rho = -0.5; }), "rho");
  expect_config_error(with([](AdadeltaConfig& c) { c.eps = 0; }), "eps");
  expect_config_error(with([](AdadeltaConfig& c) { c.weight_decay = -0.1; }), "weight-decay");
  OptimizerOptions not_ours;
  not_ours["decay-rate"] = 0.9;
  expect_config_error([&] { make_optimizer<double>("adadelta", not_ours); }, "decay-rate");
  Adadelta<double> a;
  std::vector<double> w = {1.0};
  EXPECT_THROW(a.step(w, std::vector<double>{1.0}, -1.0), ConfigError);
}

TEST(Adadelta, IsRegisteredWithItsDefaults) {
  EXPECT_EQ(make_optimizer<double>("adadelta")->name(), "adadelta");
  EXPECT_DOUBLE_EQ(default_learning_rate("adadelta"), 1.0);
}

// AdaDelta starts with steps of about sqrt(eps) and speeds up as E[dx^2]
// grows, so it needs more steps than the others.
TEST(Adadelta, ConvergesOnTheSphere) {
  Adadelta<double> adadelta;
  EXPECT_LT(sphere_after(adadelta, 3000, [](int) { return 1.0; }), 1e-8);
}

TEST(Adadelta, SameBitsAtOneAndTwoThreads) {
  AdadeltaConfig c;
  c.weight_decay = 1e-3;
  expect_same_at_one_and_two_threads<float>([c] { return std::make_unique<Adadelta<float>>(c); },
                                            Groups::one);
  expect_same_at_one_and_two_threads<double>([c] { return std::make_unique<Adadelta<double>>(c); },
                                             Groups::one);
}

}  // namespace
}  // namespace descent

#include "descent/optim/adagrad.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

// Against torch.optim.Adagrad with eps 1e-8 (the notes'), eps 1e-10 (torch's
// default) and weight decay. Double: O(1) values, rounding-only differences.
// Float: 24-bit inputs and ~5 roundings per step over 8 steps; each step is at
// most lr * |dw| / sqrt(cache) <= lr, so |w| < 5 and the error < 1.5e-5.
TEST(Adagrad, MatchesTorchInDouble) {
  expect_fixed_gradients_match_torch<double>("adagrad", kDoubleBound);
}

TEST(Adagrad, MatchesTorchInFloat) { expect_fixed_gradients_match_torch<float>("adagrad", 1.5e-5); }

TEST(Adagrad, MatchesTorchOnRosenbrock) {
  expect_rosenbrock_matches_torch("adagrad", kDoubleBound);
}

// eps = 1 makes every quantity exact or nearly so: w = 0,
//   dw = 3, lr = 2: cache = 9,  w = 0 - 2 * 3 / (3 + 1) = -1.5
//   dw = 4, lr = 1: cache = 25, w = -1.5 - 4 / (5 + 1) = -1.5 - 2/3
// (eps inside the root would give 3 / sqrt(10) and 4 / sqrt(26) instead).
TEST(Adagrad, HandDerivedSteps) {
  AdagradConfig c;
  c.eps = 1;
  Adagrad<double> adagrad(c);
  std::vector<double> w = {0.0};
  adagrad.step(w, std::vector<double>{3.0}, 2.0);
  EXPECT_EQ(w[0], -1.5);
  adagrad.step(w, std::vector<double>{4.0}, 1.0);
  EXPECT_DOUBLE_EQ(w[0], -1.5 - 4.0 / 6.0);
}

// The first step is -lr * dw / (|dw| + eps) with eps outside the root, and
// -lr * dw / sqrt(dw^2 + eps) with it inside. At eps = 1e-8 the two differ
// by a relative 5e-9 at dw = 1 and by 0.5% at dw = 1e-3 (a rarely updated
// weight); the check allows 1e-15 and requires the other variant to miss by
// more than 1e-9.
TEST(Adagrad, EpsIsOutsideTheSquareRoot) {
  for (const double dw : {1.0, 1e-3, 1e-6}) {
    Adagrad<double> adagrad;
    std::vector<double> w = {0.0};
    adagrad.step(w, std::vector<double>{dw}, 1.0);
    const double outside = -dw / (std::sqrt(dw * dw) + 1e-8);
    const double inside = -dw / std::sqrt(dw * dw + 1e-8);
    EXPECT_NEAR(w[0], outside, 1e-15 * std::abs(outside)) << dw;
    EXPECT_GT(std::abs(w[0] - inside), 1e-9 * std::abs(inside)) << dw;
  }
}

TEST(Adagrad, ResumesFromSavedStateAsIfUninterrupted) {
  AdagradConfig decayed;
  decayed.weight_decay = 0.01;
  for (const AdagradConfig& c : {AdagradConfig{}, decayed}) {
    expect_resume_matches_uninterrupted<double>(
        [c] { return std::make_unique<Adagrad<double>>(c); }, 0.8);
    expect_resume_matches_uninterrupted<float>([c] { return std::make_unique<Adagrad<float>>(c); },
                                               0.8);
  }
}

TEST(Adagrad, RejectsBadHyperparametersNamingTheField) {
  const auto with = [](auto set) {
    return [set] {
      AdagradConfig c;
      set(c);
      Adagrad<double> a(c);
    };
  };
  expect_config_error(with([](AdagradConfig& c) { c.eps = 0; }), "eps");
  expect_config_error(with([](AdagradConfig& c) { c.eps = -1e-8; }), "eps");
  expect_config_error(with([](AdagradConfig& c) { c.eps = INFINITY; }), "eps");
  expect_config_error(with([](AdagradConfig& c) { c.weight_decay = -1; }), "weight-decay");
  OptimizerOptions not_ours;
  not_ours["momentum"] = 0.9;
  expect_config_error([&] { make_optimizer<float>("adagrad", not_ours); }, "momentum");
  Adagrad<float> a;
  std::vector<float> w = {1.0f};
  EXPECT_THROW(a.step(w, std::vector<float>{1.0f}, -1e-3f), ConfigError);
}

TEST(Adagrad, IsRegisteredWithItsDefaults) {
  EXPECT_EQ(make_optimizer<double>("adagrad")->name(), "adagrad");
  EXPECT_DOUBLE_EQ(default_learning_rate("adagrad"), 1e-2);
}

TEST(Adagrad, ConvergesOnTheSphere) {
  Adagrad<double> adagrad;
  EXPECT_LT(sphere_after(adagrad, 500, [](int) { return 1.0; }), 1e-12);
}

TEST(Adagrad, SameBitsAtOneAndTwoThreads) {
  AdagradConfig c;
  c.weight_decay = 1e-3;
  expect_same_at_one_and_two_threads<float>([c] { return std::make_unique<Adagrad<float>>(c); },
                                            Groups::one);
  expect_same_at_one_and_two_threads<double>([c] { return std::make_unique<Adagrad<double>>(c); },
                                             Groups::one);
}

}  // namespace
}  // namespace descent

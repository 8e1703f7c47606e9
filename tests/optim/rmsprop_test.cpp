#include "descent/optim/rmsprop.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

RmspropConfig variant(bool centered, double mu) {
  RmspropConfig c;
  c.decay_rate = 0.9;
  c.centered = centered;
  c.momentum = mu;
  return c;
}

// Against torch.optim.RMSprop: plain (decay 0.99 and 0.9), centered, with
// momentum, both, and with weight decay. Double: O(1) values, rounding-only
// differences. Float: 24-bit inputs, ~8 roundings per step over 8 steps. The
// normalized step dw / sqrt(cache) is at most 1 / sqrt(1 - decay_rate) (~3
// at decay 0.9, more centered, where cache - g_avg^2 loses a few bits), so
// |w| stays below 5; 3e-5 leaves room for that cancellation.
TEST(Rmsprop, MatchesTorchInDouble) {
  expect_fixed_gradients_match_torch<double>("rmsprop", kDoubleBound);
}

TEST(Rmsprop, MatchesTorchInFloat) { expect_fixed_gradients_match_torch<float>("rmsprop", 3e-5); }

TEST(Rmsprop, MatchesTorchOnRosenbrock) {
  expect_rosenbrock_matches_torch("rmsprop", kDoubleBound);
}

// decay_rate = 0.75, eps = 1, w = 0, lr = 1: every value is exact.
//   dw = 4: cache = 0.25 * 16 = 4,             w = 0 - 4 / (2 + 1) = -4/3
// centered: g_avg = 0.25 * 4 = 1, cache - g_avg^2 = 3,
//                                             w = 0 - 4 / (sqrt(3) + 1)
// momentum 0.5, two steps of dw = 4:
//   buf = 4 / 3,                              w = -4/3
//   cache = 0.75 * 4 + 4 = 7, buf = 0.5 * 4/3 + 4 / (sqrt(7) + 1),
//                                             w = -4/3 - buf
TEST(Rmsprop, HandDerivedSteps) {
  RmspropConfig c;
  c.decay_rate = 0.75;
  c.eps = 1;
  Rmsprop<double> plain(c);
  std::vector<double> w = {0.0};
  plain.step(w, std::vector<double>{4.0}, 1.0);
  EXPECT_DOUBLE_EQ(w[0], -4.0 / 3.0);

  c.centered = true;
  Rmsprop<double> centered(c);
  w = {0.0};
  centered.step(w, std::vector<double>{4.0}, 1.0);
  EXPECT_DOUBLE_EQ(w[0], -4.0 / (std::sqrt(3.0) + 1.0));

  c.centered = false;
  c.momentum = 0.5;
  Rmsprop<double> with_momentum(c);
  w = {0.0};
  with_momentum.step(w, std::vector<double>{4.0}, 1.0);
  EXPECT_DOUBLE_EQ(w[0], -4.0 / 3.0);
  with_momentum.step(w, std::vector<double>{4.0}, 1.0);
  EXPECT_DOUBLE_EQ(w[0], -4.0 / 3.0 - (0.5 * 4.0 / 3.0 + 4.0 / (std::sqrt(7.0) + 1.0)));
}

// First step at the default decay 0.99: cache = 0.01 * dw^2, and the step is
// dw / (sqrt(cache) + eps) with eps outside the root, dw / sqrt(cache + eps)
// inside. At eps = 1e-8 they differ by a relative 4e-7 at dw = 1 and by 40%
// at dw = 1e-4; the check allows 1e-15 and requires the other to miss by 1e-9.
TEST(Rmsprop, EpsIsOutsideTheSquareRoot) {
  for (const double dw : {1.0, 1e-2, 1e-4}) {
    Rmsprop<double> rmsprop;
    std::vector<double> w = {0.0};
    rmsprop.step(w, std::vector<double>{dw}, 1.0);
    const double cache = (1 - 0.99) * dw * dw;
    const double outside = -dw / (std::sqrt(cache) + 1e-8);
    const double inside = -dw / std::sqrt(cache + 1e-8);
    EXPECT_NEAR(w[0], outside, 1e-15 * std::abs(outside)) << dw;
    EXPECT_GT(std::abs(w[0] - inside), 1e-9 * std::abs(inside)) << dw;
  }
}

// A gradient held constant drives cache - g_avg^2 to 0, and in float it
// falls just below 0 after ~24 steps at decay 0.5 for these gradients
// (found by search); the clamp makes the denominator eps there, not NaN.
TEST(Rmsprop, CenteredStaysFiniteUnderAConstantGradient) {
  RmspropConfig c = variant(true, 0);
  c.decay_rate = 0.5;
  for (const float g : {1.70350003f, 8.56935501f, 1.92167521f, 0.747145414f}) {
    Rmsprop<float> rmsprop(c);
    std::vector<float> w = {0.0f};
    for (int t = 0; t < 100; ++t) rmsprop.step(w, std::vector<float>{g}, 1e-12f);
    EXPECT_TRUE(std::isfinite(w[0])) << g;
  }
}

TEST(Rmsprop, ResumesFromSavedStateAsIfUninterrupted) {
  RmspropConfig decayed = variant(true, 0.5);
  decayed.weight_decay = 0.01;
  for (const RmspropConfig& c : {RmspropConfig{}, variant(true, 0), variant(false, 0.9), decayed}) {
    expect_resume_matches_uninterrupted<double>(
        [c] { return std::make_unique<Rmsprop<double>>(c); }, 0.8);
    expect_resume_matches_uninterrupted<float>([c] { return std::make_unique<Rmsprop<float>>(c); },
                                               0.8);
  }
}

// The saved buffers depend on centered and momentum, and a mismatch says so.
TEST(Rmsprop, LoadRefusesStateOfAnotherVariant) {
  Rmsprop<double> plain;
  std::vector<double> w = {1.0, 2.0};
  plain.step(w, std::vector<double>{1.0, 1.0}, 0.1);
  ByteWriter out;
  plain.save(out);
  Rmsprop<double> centered(variant(true, 0));
  ByteReader in(out.bytes(), "state");
  EXPECT_THROW(centered.load(in), FormatError);
}

TEST(Rmsprop, RejectsBadHyperparametersNamingTheField) {
  const auto with = [](auto set) {
    return [set] {
      RmspropConfig c;
      set(c);
      Rmsprop<double> r(c);
    };
  };
  expect_config_error(with([](RmspropConfig& c) { c.decay_rate = 1.0; }), "decay-rate");
  expect_config_error(with([](RmspropConfig& c) { c.decay_rate = -0.1; }), "decay-rate");
  expect_config_error(with([](RmspropConfig& c) { c.eps = 0; }), "eps");
  expect_config_error(with([](RmspropConfig& c) { c.momentum = 1.0; }), "momentum");
  expect_config_error(with([](RmspropConfig& c) { c.weight_decay = NAN; }), "weight-decay");
  OptimizerOptions not_ours;
  not_ours["rho"] = 0.9;
  expect_config_error([&] { make_optimizer<float>("rmsprop", not_ours); }, "rho");
  OptimizerOptions no_convention;
  no_convention["momentum-convention"] = std::string("torch");
  expect_config_error([&] { make_optimizer<float>("rmsprop", no_convention); },
                      "momentum-convention");
  Rmsprop<double> r;
  std::vector<double> w = {1.0};
  EXPECT_THROW(r.step(w, std::vector<double>{1.0}, -1e-4), ConfigError);
}

TEST(Rmsprop, IsRegisteredWithItsDefaults) {
  EXPECT_EQ(make_optimizer<double>("rmsprop")->name(), "rmsprop");
  EXPECT_DOUBLE_EQ(default_learning_rate("rmsprop"), 1e-4);
}

// RMSProp's step is about lr in size whatever the gradient, so at a constant
// rate it circles the minimum at a distance ~lr; a decaying rate (a schedule
// lr(t)) brings it in.
TEST(Rmsprop, ConvergesOnTheSphere) {
  for (const RmspropConfig& c : {RmspropConfig{}, variant(true, 0), variant(false, 0.5)}) {
    Rmsprop<double> rmsprop(c);
    EXPECT_LT(sphere_after(rmsprop, 1000, [](int t) { return 0.1 * std::pow(0.99, t); }), 1e-8);
  }
}

TEST(Rmsprop, SameBitsAtOneAndTwoThreads) {
  for (RmspropConfig c : {RmspropConfig{}, variant(true, 0.5)}) {
    c.weight_decay = 1e-3;
    expect_same_at_one_and_two_threads<float>([c] { return std::make_unique<Rmsprop<float>>(c); },
                                              Groups::one);
    expect_same_at_one_and_two_threads<double>([c] { return std::make_unique<Rmsprop<double>>(c); },
                                               Groups::one);
  }
}

}  // namespace
}  // namespace descent

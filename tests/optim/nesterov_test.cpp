#include "descent/optim/nesterov.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

NesterovConfig torch_convention(double mu) {
  NesterovConfig c;
  c.momentum = mu;
  c.convention = MomentumConvention::torch;
  return c;
}

// Against torch.optim.SGD(nesterov=True); bounds as in momentum_test.cpp
// (double: O(1) values, rounding-only differences; float: 24-bit inputs and
// ~6 roundings per step over 8 steps, |w| < 5).
TEST(Nesterov, MatchesTorchInDouble) {
  expect_fixed_gradients_match_torch<double>("nesterov", kDoubleBound);
}

TEST(Nesterov, MatchesTorchInFloat) {
  expect_fixed_gradients_match_torch<float>("nesterov", 1.5e-5);
}

TEST(Nesterov, MatchesTorchOnRosenbrock) {
  expect_rosenbrock_matches_torch("nesterov", kDoubleBound);
}

// Every value below is exact in binary, so the comparisons are exact.
// mu = 0.5, w = 1; step 1: dw = 2, lr = 0.5; step 2: dw = 4, lr = 0.25.
//   notes: v = 0 - 0.5 * 2 = -1
//          w += -0.5 * 0 + 1.5 * -1 = -1.5                  -> w = -0.5
//          v_prev = -1, v = 0.5 * -1 - 0.25 * 4 = -1.5
//          w += -0.5 * -1 + 1.5 * -1.5 = 0.5 - 2.25 = -1.75  -> w = -2.25
//   torch: buf = 2,             w -= 0.5 * (2 + 0.5 * 2) = 1.5    -> w = -0.5
//          buf = 0.5 * 2 + 4 = 5, w -= 0.25 * (4 + 0.5 * 5) = 1.625 -> w = -2.125
TEST(Nesterov, NotesFormByHandAndUnlikeTorchWhenTheLearningRateChanges) {
  NesterovConfig notes;
  notes.momentum = 0.5;
  Nesterov<double> by_notes(notes);
  Nesterov<double> by_torch(torch_convention(0.5));
  std::vector<double> w_notes = {1.0}, w_torch = {1.0};
  by_notes.step(w_notes, std::vector<double>{2.0}, 0.5);
  by_torch.step(w_torch, std::vector<double>{2.0}, 0.5);
  EXPECT_EQ(w_notes[0], -0.5);
  EXPECT_EQ(w_torch[0], -0.5);
  by_notes.step(w_notes, std::vector<double>{4.0}, 0.25);
  by_torch.step(w_torch, std::vector<double>{4.0}, 0.25);
  EXPECT_EQ(w_notes[0], -2.25);
  EXPECT_EQ(w_torch[0], -2.125);
}

// At a constant lr = 0.5 the second step agrees (v = -lr * buf):
//   notes: v = 0.5 * -1 - 0.5 * 4 = -2.5, w += 0.5 + 1.5 * -2.5 = -3.25 -> -3.75
//   torch: buf = 5,                        w -= 0.5 * (4 + 2.5) = 3.25  -> -3.75
TEST(Nesterov, ConventionsAgreeAtAConstantLearningRate) {
  NesterovConfig notes;
  notes.momentum = 0.5;
  Nesterov<float> by_notes(notes);
  Nesterov<float> by_torch(torch_convention(0.5));
  std::vector<float> w_notes = {1.0f}, w_torch = {1.0f};
  for (const float g : {2.0f, 4.0f}) {
    by_notes.step(w_notes, std::vector<float>{g}, 0.5f);
    by_torch.step(w_torch, std::vector<float>{g}, 0.5f);
  }
  EXPECT_EQ(w_notes[0], -3.75f);
  EXPECT_EQ(w_torch[0], -3.75f);
}

TEST(Nesterov, ResumesFromSavedStateAsIfUninterrupted) {
  NesterovConfig decayed = torch_convention(0.7);
  decayed.weight_decay = 0.01;
  for (const NesterovConfig& c : {NesterovConfig{}, decayed}) {
    expect_resume_matches_uninterrupted<double>(
        [c] { return std::make_unique<Nesterov<double>>(c); }, 0.8);
    expect_resume_matches_uninterrupted<float>([c] { return std::make_unique<Nesterov<float>>(c); },
                                               0.8);
  }
}

TEST(Nesterov, RejectsBadHyperparametersNamingTheField) {
  const auto with = [](auto set) {
    return [set] {
      NesterovConfig c;
      set(c);
      Nesterov<double> n(c);
    };
  };
  expect_config_error(with([](NesterovConfig& c) { c.momentum = 1.0; }), "momentum");
  expect_config_error(with([](NesterovConfig& c) { c.momentum = -0.5; }), "momentum");
  expect_config_error(with([](NesterovConfig& c) { c.weight_decay = -1; }), "weight-decay");
  // torch's rule: Nesterov momentum takes no dampening, in either convention.
  expect_config_error(with([](NesterovConfig& c) {
                        c.convention = MomentumConvention::torch;
                        c.dampening = 0.1;
                      }),
                      "dampening");
  OptimizerOptions unknown;
  unknown["momentum-convention"] = std::string("keras");
  expect_config_error([&] { make_optimizer<double>("nesterov", unknown); }, "momentum-convention");
  OptimizerOptions not_ours;
  not_ours["decay-rate"] = 0.9;
  expect_config_error([&] { make_optimizer<double>("nesterov", not_ours); }, "decay-rate");
  Nesterov<double> n;
  std::vector<double> w = {1.0};
  EXPECT_THROW(n.step(w, std::vector<double>{1.0}, -1.0), ConfigError);
}

TEST(Nesterov, IsRegisteredWithItsDefaults) {
  EXPECT_EQ(make_optimizer<double>("nesterov")->name(), "nesterov");
  EXPECT_DOUBLE_EQ(default_learning_rate("nesterov"), 5e-3);
}

TEST(Nesterov, ConvergesOnTheSphere) {
  for (const NesterovConfig& c : {NesterovConfig{}, torch_convention(0.9)}) {
    Nesterov<double> nesterov(c);
    EXPECT_LT(sphere_after(nesterov, 500, [](int) { return 0.05; }), 1e-12);
  }
}

TEST(Nesterov, SameBitsAtOneAndTwoThreads) {
  for (NesterovConfig c : {NesterovConfig{}, torch_convention(0.9)}) {
    c.weight_decay = 1e-3;
    expect_same_at_one_and_two_threads<float>([c] { return std::make_unique<Nesterov<float>>(c); },
                                              Groups::one);
    expect_same_at_one_and_two_threads<double>(
        [c] { return std::make_unique<Nesterov<double>>(c); }, Groups::one);
  }
}

}  // namespace
}  // namespace descent

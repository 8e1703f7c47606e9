#include "descent/optim/momentum.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "descent/optim/sgd.hpp"
#include "optimizer_testing.hpp"

namespace descent {
namespace {

using namespace optim_testing;

MomentumConfig torch_convention(double mu, double dampening = 0) {
  MomentumConfig c;
  c.momentum = mu;
  c.dampening = dampening;
  c.convention = MomentumConvention::torch;
  return c;
}

// Against torch.optim.SGD(momentum, dampening, weight_decay) on fixed gradients
// with a changing learning rate, to kDoubleBound (its reasons are beside it).
TEST(Momentum, MatchesTorchInDouble) {
  expect_fixed_gradients_match_torch<double>("momentum", kDoubleBound);
}

// In float the inputs (start, gradients, learning rates) are rounded to 24
// bits and each of the ~5 operations per step rounds again: with |w|, |buf|
// below 5 and 8 steps that is about 8 * 6 * 2^-24 * 5 = 1.4e-5 at worst.
TEST(Momentum, MatchesTorchInFloat) {
  expect_fixed_gradients_match_torch<float>("momentum", 1.5e-5);
}

// 200 steps from (-1.2, 1) at lr 1e-3 with mu = 0.9.
TEST(Momentum, MatchesTorchOnRosenbrock) {
  expect_rosenbrock_matches_torch("momentum", kDoubleBound);
}

// Every value below is exact in binary, so the comparisons are exact.
// mu = 0.5, w = 1; step 1: dw = 2, lr = 0.5; step 2: dw = 4, lr = 0.25.
//   notes: v = 0.5 * 0 - 0.5 * 2 = -1,             w = 1 - 1 = 0
//          v = 0.5 * -1 - 0.25 * 4 = -1.5,         w = 0 - 1.5 = -1.5
//   torch: buf = 2,                                 w = 1 - 0.5 * 2 = 0
//          buf = 0.5 * 2 + 4 = 5,                   w = 0 - 0.25 * 5 = -1.25
// The notes' velocity still carries the old rate; torch's step uses the new one.
TEST(Momentum, ConventionsDifferWhenTheLearningRateChanges) {
  MomentumConfig notes;
  notes.momentum = 0.5;
  Momentum<double> by_notes(notes);
  Momentum<double> by_torch(torch_convention(0.5));
  std::vector<double> w_notes = {1.0}, w_torch = {1.0};
  by_notes.step(w_notes, std::vector<double>{2.0}, 0.5);
  by_torch.step(w_torch, std::vector<double>{2.0}, 0.5);
  EXPECT_EQ(w_notes[0], 0.0);
  EXPECT_EQ(w_torch[0], 0.0);
  by_notes.step(w_notes, std::vector<double>{4.0}, 0.25);
  by_torch.step(w_torch, std::vector<double>{4.0}, 0.25);
  EXPECT_EQ(w_notes[0], -1.5);
  EXPECT_EQ(w_torch[0], -1.25);
}

// The same two steps at a constant lr = 0.5 agree (v = -lr * buf):
//   notes: v = 0.5 * -1 - 0.5 * 4 = -2.5, w = -2.5
//   torch: buf = 5,                        w = 0 - 0.5 * 5 = -2.5
TEST(Momentum, ConventionsAgreeAtAConstantLearningRate) {
  MomentumConfig notes;
  notes.momentum = 0.5;
  Momentum<float> by_notes(notes);
  Momentum<float> by_torch(torch_convention(0.5));
  std::vector<float> w_notes = {1.0f}, w_torch = {1.0f};
  for (const float g : {2.0f, 4.0f}) {
    by_notes.step(w_notes, std::vector<float>{g}, 0.5f);
    by_torch.step(w_torch, std::vector<float>{g}, 0.5f);
  }
  EXPECT_EQ(w_notes[0], -2.5f);
  EXPECT_EQ(w_torch[0], -2.5f);
}

// Weight decay 0.5 adds 0.5 * w to the gradient: w = 1, dw = 2 + 0.5 * 1 = 2.5,
// mu = 0.5, lr = 0.5: v = -1.25, w = -0.25.
TEST(Momentum, WeightDecayIsAddedToTheGradient) {
  MomentumConfig c;
  c.momentum = 0.5;
  c.weight_decay = 0.5;
  Momentum<double> momentum(c);
  std::vector<double> w = {1.0};
  momentum.step(w, std::vector<double>{2.0}, 0.5);
  EXPECT_EQ(w[0], -0.25);
}

TEST(Momentum, ResumesFromSavedStateAsIfUninterrupted) {
  for (const MomentumConfig& c : {MomentumConfig{}, torch_convention(0.8, 0.25)}) {
    expect_resume_matches_uninterrupted<double>(
        [c] { return std::make_unique<Momentum<double>>(c); }, 0.8);
    expect_resume_matches_uninterrupted<float>([c] { return std::make_unique<Momentum<float>>(c); },
                                               0.8);
  }
}

TEST(Momentum, LoadRefusesStateOfTheOtherConvention) {
  Momentum<double> notes;
  std::vector<double> w = {1.0};
  notes.step(w, std::vector<double>{1.0}, 0.1);
  ByteWriter out;
  notes.save(out);
  Momentum<double> torch(torch_convention(0.9));
  ByteReader in(out.bytes(), "state");
  EXPECT_THROW(torch.load(in), FormatError);
}

TEST(Momentum, RejectsBadHyperparametersNamingTheField) {
  const auto with = [](auto set) {
    return [set] {
      MomentumConfig c;
      set(c);
      Momentum<double> m(c);
    };
  };
  expect_config_error(with([](MomentumConfig& c) { c.momentum = 1.0; }), "momentum");
  expect_config_error(with([](MomentumConfig& c) { c.momentum = -0.1; }), "momentum");
  expect_config_error(with([](MomentumConfig& c) { c.dampening = 0.1; }), "dampening");
  expect_config_error(with([](MomentumConfig& c) { c.weight_decay = -1; }), "weight-decay");
  expect_config_error(with([](MomentumConfig& c) {
                        c.convention = MomentumConvention::torch;
                        c.dampening = 1.5;
                      }),
                      "dampening");
  OptimizerOptions unknown;
  unknown["momentum-convention"] = std::string("pytorch");
  expect_config_error([&] { make_optimizer<float>("momentum", unknown); }, "momentum-convention");
  OptimizerOptions not_ours;
  not_ours["rho"] = 0.9;
  expect_config_error([&] { make_optimizer<float>("momentum", not_ours); }, "rho");
  OptimizerOptions dampened_notes;
  dampened_notes["dampening"] = 0.2;
  expect_config_error([&] { make_optimizer<float>("sgd_momentum", dampened_notes); }, "dampening");
  Momentum<double> m;
  std::vector<double> w = {1.0};
  EXPECT_THROW(m.step(w, std::vector<double>{1.0}, -0.1), ConfigError);
}

TEST(Momentum, IsRegisteredWithItsDefaults) {
  EXPECT_EQ(make_optimizer<double>("momentum")->name(), "momentum");
  EXPECT_EQ(make_optimizer<double>("sgd_momentum")->name(), "momentum");
  EXPECT_DOUBLE_EQ(default_learning_rate("momentum"), 5e-3);
}

TEST(Momentum, ConvergesOnTheSphere) {
  for (const MomentumConfig& c : {MomentumConfig{}, torch_convention(0.9)}) {
    Momentum<double> momentum(c);
    EXPECT_LT(sphere_after(momentum, 500, [](int) { return 0.05; }), 1e-12);
  }
}

// Same learning rate, same 500 steps from (-1.2, 1): momentum gets further
// along Rosenbrock's valley than plain SGD.
TEST(Momentum, BeatsPlainSgdOnRosenbrock) {
  Sgd<double> sgd;
  const double f_sgd = rosenbrock_after(sgd, 1e-3, 500);
  for (const MomentumConfig& c : {MomentumConfig{}, torch_convention(0.9)}) {
    Momentum<double> momentum(c);
    const double f_momentum = rosenbrock_after(momentum, 1e-3, 500);
    EXPECT_LT(f_momentum, 0.5 * f_sgd) << f_momentum << " vs " << f_sgd;
  }
}

TEST(Momentum, SameBitsAtOneAndTwoThreads) {
  for (MomentumConfig c : {MomentumConfig{}, torch_convention(0.9, 0.1)}) {
    c.weight_decay = 1e-3;
    expect_same_at_one_and_two_threads<float>([c] { return std::make_unique<Momentum<float>>(c); },
                                              Groups::one);
    expect_same_at_one_and_two_threads<double>(
        [c] { return std::make_unique<Momentum<double>>(c); }, Groups::one);
  }
}

}  // namespace
}  // namespace descent

// lbfgs, cg and olbfgs on networks: softmax regression's gradient, oLBFGS's
// formulas by hand, L-BFGS against Adam at equal passes over the data, exact
// resume, the counting of gradient evaluations and bad settings.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/json_file.hpp"
#include "descent/optim/line_search_minimizer.hpp"
#include "descent/optim/online_lbfgs.hpp"
#include "descent/optim/registry.hpp"
#include "nn/gradient_check.hpp"
#include "train/trainer_fixture.hpp"

namespace descent {
namespace {

using QuasiNewtonTest = testing::SoftmaxRegressionTest;

TEST_F(QuasiNewtonTest, SoftmaxRegressionGradientMatchesFiniteDifferences) {
  config_.network.reg = 0.1f;
  Network network(config_.network, 3);
  const Matrix x = data_.train.features.topRows(20);
  const std::vector<std::int32_t> y(data_.train.labels.begin(), data_.train.labels.begin() + 20);
  Rng rng(1);
  network.loss_and_grad(x, y, rng);
  ASSERT_EQ(network.params().entries().size(), 2u);  // W and b of one affine layer
  const std::vector<float> analytic(network.params().grads().begin(),
                                    network.params().grads().end());
  const auto numeric = test::numeric_gradient(network.params().values().data(),
                                                 network.params().size(), 1e-2f, [&] {
                                                   return static_cast<double>(
                                                       network.loss_and_grad(x, y, rng));
                                                 });
  test::expect_gradient_near(analytic.data(), numeric, 1e-2, 1e-4, "softmax regression");
}

TEST_F(QuasiNewtonTest, FullBatchLbfgsBeatsAdamAndSgdAtEqualPasses) {
  config_.epochs = 10;
  config_.optimizer = "adam";
  config_.learning_rate = 1e-3;
  Trainer adam(config_, data_);
  ASSERT_EQ(adam.run().status, RunStatus::Finished);
  config_.optimizer = "sgd";
  config_.learning_rate = 5e-3;
  Trainer sgd(config_, data_);
  ASSERT_EQ(sgd.run().status, RunStatus::Finished);
  config_.optimizer = "lbfgs";
  config_.batch_size = 0;
  Trainer lbfgs(config_, data_);
  ASSERT_EQ(lbfgs.run().status, RunStatus::Finished);
  EXPECT_GE(lbfgs.history().passes.back(), 10.0);
  EXPECT_LE(lbfgs.history().passes.back(), 10.0 + 20);  // one line search at most past the end
  EXPECT_LT(train_loss(lbfgs), train_loss(adam));
  EXPECT_LT(train_loss(lbfgs), train_loss(sgd));
}

TEST_F(QuasiNewtonTest, LbfgsReachesASmallGradientOnConvexSoftmaxRegression) {
  config_.optimizer = "lbfgs";
  config_.batch_size = 0;
  config_.epochs = 300;
  config_.network.reg = 1e-2f;  // strongly convex
  Trainer trainer(config_, data_, runs_.path() / "lbfgs");
  trainer.run();
  const auto metrics = read_json_file(runs_.path() / "lbfgs" / "metrics.json");
  EXPECT_LT(metrics["final_gradient_norm"].get<double>(), 1e-3);
}

TEST_F(QuasiNewtonTest, CgTrainsSoftmaxRegression) {
  config_.optimizer = "cg";
  config_.batch_size = 0;
  config_.epochs = 20;
  Trainer trainer(config_, data_);
  ASSERT_EQ(trainer.run().status, RunStatus::Finished);
  EXPECT_LT(trainer.history().loss.back(), 0.6 * trainer.history().loss.front());
}

TEST_F(QuasiNewtonTest, LbfgsResumesBitForBit) {
  config_.optimizer = "lbfgs";
  config_.batch_size = 0;
  config_.epochs = 8;
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {1, 3, 4});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
}

TEST_F(QuasiNewtonTest, LargeBatchCgResumesBitForBit) {
  config_.optimizer = "cg";
  config_.batch_size = 150;  // 400 samples: batches of 150, 150, 100
  config_.network.hidden = {16};
  config_.epochs = 6;
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {1, 2, 4});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
}

TEST_F(QuasiNewtonTest, OnlineLbfgsResumesBitForBitAndCountsTwoEvaluationsPerStep) {
  config_.optimizer = "olbfgs";
  config_.network.hidden = {16};
  config_.learning_rate = 0.05;
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {5, 13, 30});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
  Trainer trainer(config_, data_);
  trainer.run();
  // 4 epochs of 13 batches over 400 samples, two gradients per batch: 8 passes.
  EXPECT_EQ(trainer.history().loss.size(), 52u);
  EXPECT_DOUBLE_EQ(trainer.history().passes[0], 2.0 * 32 / 400);
  EXPECT_DOUBLE_EQ(trainer.history().passes.back(), 8.0);
}

TEST_F(QuasiNewtonTest, FirstOrderRunsCountOnePassPerEpoch) {
  Trainer trainer(config_, data_);
  trainer.run();
  EXPECT_DOUBLE_EQ(trainer.history().passes[0], 32.0 / 400);
  EXPECT_DOUBLE_EQ(trainer.history().passes.back(), 4.0);
}

TEST_F(QuasiNewtonTest, BadSettingsAreErrorsNamingTheField) {
  const auto message = [this](const auto& change) {
    TrainConfig config = config_;
    change(config);
    try {
      config.validate();
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer = "lbfgs";
              c.network.dropout = 0.5f;
            }).rfind("dropout: lbfgs", 0),
            0u);
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer = "olbfgs";
              c.network.batchnorm = true;
            }).rfind("batchnorm: olbfgs", 0),
            0u);
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer = "lbfgs";
              c.optimizer_options["history"] = std::int64_t{0};
            }),
            "history: expected m >= 1, got 0");
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer = "olbfgs";
              c.optimizer_options["lambda"] = -1.0;
            }).rfind("lambda:", 0),
            0u);
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer = "cg";
              c.optimizer_options["tau"] = 10.0;
            }),
            "tau: not a setting of optimizer 'cg'");
  EXPECT_EQ(message([](TrainConfig& c) { c.batch_size = 0; }).rfind("batch-size:", 0), 0u);
}

// f(x) = 0.5 x' A x with A = diag(1, 10): g = A x.
// The trainer's lbfgs takes the minimizer's own iteration: on the same
// objective (the full training set's loss) from the same start, the same
// iterates, bit for bit.
TEST_F(QuasiNewtonTest, TrainingTakesTheMinimizersIteratesBitForBit) {
  config_.optimizer = "lbfgs";
  config_.batch_size = 0;
  config_.epochs = 50;
  constexpr std::size_t kIterations = 8;
  Trainer trainer(config_, data_);
  trainer.on_iteration = [](const Progress& p) { return p.iteration == kIterations; };
  ASSERT_EQ(trainer.run().status, RunStatus::Interrupted);
  const auto trained = trainer.network().params().values();

  Network network(config_.network, stream_seed(config_.seed, 0));
  Rng unused(0);
  const Objective<float> loss = [&](std::span<const float>, std::span<float> gradient) {
    const float f = network.loss_and_grad(data_.train.features, data_.train.labels, unused);
    const auto grads = network.params().grads();
    std::copy(grads.begin(), grads.end(), gradient.begin());
    return static_cast<double>(f);
  };
  const auto direction = make_line_search_direction<float>("lbfgs", {});
  LineSearchMinimizerConfig config;
  config.line_search = line_search_config("lbfgs", {});
  config.stopping.gradient_tolerance = 0;
  config.stopping.max_iterations = kIterations;
  const SearchResult result =
      minimize_with_line_search(loss, *direction, network.params().values(), config);
  ASSERT_EQ(result.iterations, kIterations) << result.message;
  const auto minimized = network.params().values();
  EXPECT_TRUE(std::equal(trained.begin(), trained.end(), minimized.begin(), minimized.end()));
  EXPECT_EQ(static_cast<float>(result.f), trainer.history().loss.back());
}

TEST(OnlineLbfgs, FirstStepsFollowThePaperByHand) {
  OnlineLbfgsConfig config;
  config.eps = 0.1;
  config.tau = 4;
  config.step_divisor = 2;
  config.lambda = 0.5;
  OnlineLbfgs<double> olbfgs(config);
  std::vector<double> x = {1, 1};
  const auto gradient = [](const std::vector<double>& at) {
    return std::vector<double>{at[0], 10 * at[1]};
  };
  const double eta0 = 0.8;
  // t = 0: s_0 = (eta_0 / c) (-eps g_0) = 0.4 * -0.1 * (1, 10) = (-0.04, -0.4).
  std::vector<double> g0 = gradient(x);
  olbfgs.step(x, g0, eta0);
  EXPECT_DOUBLE_EQ(x[0], 1 - 0.04);
  EXPECT_DOUBLE_EQ(x[1], 1 - 0.4);
  // y_0 = A s_0 + lambda s_0 = (-0.04 - 0.02, -4 - 0.2) = (-0.06, -4.2).
  olbfgs.observe(gradient(x));
  const double s0[2] = {-0.04, -0.4}, y0[2] = {-0.06, -4.2};
  const double sy = s0[0] * y0[0] + s0[1] * y0[1];
  const double yy = y0[0] * y0[0] + y0[1] * y0[1];
  // t = 1: the two loops with one pair and H^0 = (s.y / y.y) I, then eta_1 = 4/5 eta_0.
  const std::vector<double> x1 = x;
  const std::vector<double> g1 = gradient(x1);
  double p[2] = {-g1[0], -g1[1]};
  const double alpha = (s0[0] * p[0] + s0[1] * p[1]) / sy;
  for (int i = 0; i < 2; ++i) p[i] = (p[i] - alpha * y0[i]) * (sy / yy);
  const double beta = (y0[0] * p[0] + y0[1] * p[1]) / sy;
  for (int i = 0; i < 2; ++i) p[i] += (alpha - beta) * s0[i];
  olbfgs.step(x, g1, eta0);
  const double gain = 4.0 / 5.0 * eta0 / 2;
  EXPECT_NEAR(x[0], x1[0] + gain * p[0], 1e-15);
  EXPECT_NEAR(x[1], x1[1] + gain * p[1], 1e-15);
}

TEST(OnlineLbfgs, ConvergesOnANoiselessQuadratic) {
  OnlineLbfgsConfig config;
  config.tau = 1e6;
  OnlineLbfgs<double> olbfgs(config);
  std::vector<double> x = {1, -2, 3};
  const double a[3] = {1, 5, 25};
  std::vector<double> g(3);
  const auto gradient = [&] {
    for (int i = 0; i < 3; ++i) g[i] = a[i] * x[i];
  };
  for (int t = 0; t < 100; ++t) {
    gradient();
    olbfgs.step(x, g, 1.0);
    gradient();
    olbfgs.observe(g);
  }
  for (double v : x) EXPECT_LT(std::abs(v), 1e-8);
}

}  // namespace
}  // namespace descent

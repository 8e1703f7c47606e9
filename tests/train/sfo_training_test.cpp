// SFO as a training method: the trainer's run is the library's SFO on the
// sum of the fixed minibatches' weighted losses, bit for bit; it reaches a
// lower training loss than full-batch L-BFGS and Adam at equal passes on
// softmax regression (the paper's claim); it resumes exactly, counts passes
// with rejected steps' evaluations, and refuses settings it cannot run.
#include <gtest/gtest.h>

#include <numeric>

#include "descent/optim/registry.hpp"
#include "descent/optim/sfo.hpp"
#include "descent/optim/sum_of_functions.hpp"
#include "train/trainer_fixture.hpp"

namespace descent {
namespace {

class SfoTrainingTest : public testing::SoftmaxRegressionTest {
 protected:
  void SetUp() override {
    SoftmaxRegressionTest::SetUp();
    config_.optimizer = "sfo";
    config_.learning_rate = 1;
  }
};

TEST_F(SfoTrainingTest, TakesTheLibrarysStepsOnTheWeightedMinibatchSum) {
  config_.optimizer_options["subfunctions"] = std::int64_t{7};  // 400 rows: 57 or 58 each
  constexpr std::size_t kSteps = 40;
  config_.epochs = 20;
  Trainer trainer(config_, data_);
  trainer.on_iteration = [](const Progress& p) { return p.iteration == kSteps; };
  ASSERT_EQ(trainer.run().status, RunStatus::Interrupted);
  const auto trained = trainer.network().params().values();

  // The same partition by hand: the rows shuffled once by the data stream,
  // minibatch i the slice [i n / N, (i + 1) n / N), f_i = (n_i / n) L_i.
  const std::size_t n = data_.train.size();
  const std::size_t count = 7;
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  Rng shuffling(stream_seed(config_.seed, 1));
  shuffling.shuffle(order);
  Network network(config_.network, stream_seed(config_.seed, 0));
  Rng unused(0);
  FloatModelSum problem(network.params().values(), network.params().grads(), count,
                        [&](std::size_t i) {
                          const std::size_t begin = i * n / count;
                          const std::size_t end = (i + 1) * n / count;
                          Matrix x(static_cast<Eigen::Index>(end - begin), data_.train.dim());
                          std::vector<std::int32_t> y;
                          for (std::size_t r = begin; r < end; ++r) {
                            x.row(static_cast<Eigen::Index>(r - begin)) =
                                data_.train.features.row(order[r]);
                            y.push_back(data_.train.labels[order[r]]);
                          }
                          const double loss = network.loss_and_grad(x, y, unused);
                          const double weight =
                              static_cast<double>(end - begin) / static_cast<double>(n);
                          for (float& g : network.params().grads()) g *= static_cast<float>(weight);
                          return weight * loss;
                        });
  const auto start = network.params().values();
  const std::vector<double> x0(start.begin(), start.end());
  Sfo sfo(x0, count, SfoConfig{}, shuffling.next_u64());
  for (std::size_t step = 0; step < kSteps; ++step) sfo.step(problem);
  std::vector<float> stepped(sfo.x().begin(), sfo.x().end());
  EXPECT_TRUE(std::equal(trained.begin(), trained.end(), stepped.begin(), stepped.end()));
}

TEST_F(SfoTrainingTest, BeatsFullBatchLbfgsAndAdamAtEqualPasses) {
  config_.epochs = 10;
  Trainer sfo(config_, data_);
  ASSERT_EQ(sfo.run().status, RunStatus::Finished);
  config_.optimizer = "lbfgs";
  config_.batch_size = 0;
  Trainer lbfgs(config_, data_);
  ASSERT_EQ(lbfgs.run().status, RunStatus::Finished);
  config_.optimizer = "adam";
  config_.learning_rate = 1e-3;
  config_.batch_size = 32;
  Trainer adam(config_, data_);
  ASSERT_EQ(adam.run().status, RunStatus::Finished);
  EXPECT_LT(train_loss(sfo), train_loss(lbfgs));
  EXPECT_LT(train_loss(sfo), train_loss(adam));
}

TEST_F(SfoTrainingTest, CountsPassesWithRejectedEvaluationsAndReportsItsState) {
  config_.epochs = 3;
  Trainer trainer(config_, data_, runs_.path() / "sfo");
  const TrainResult result = trainer.run();
  ASSERT_EQ(result.status, RunStatus::Finished);
  // 400 samples: the default N is 25 (at least 25), minibatches of 16.
  EXPECT_EQ(result.details["subfunctions"], 25);
  const std::size_t rejected = result.details["rejected_steps"];
  const auto& passes = trainer.history().passes;
  EXPECT_DOUBLE_EQ(passes[0], 16.0 / 400);
  EXPECT_GE(passes.back(), 3.0);
  // Each step evaluates one minibatch, and a rejected one up to 11 more.
  EXPECT_LE(trainer.history().loss.size(), 75u);
  EXPECT_GE(trainer.history().loss.size() + 11 * rejected, 75u);
  EXPECT_GT(result.details["memory_bytes"].get<std::size_t>(), 0u);
}

TEST_F(SfoTrainingTest, ResumesBitForBit) {
  config_.network.hidden = {16};
  config_.epochs = 3;
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {1, 26, 27, 60});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
}

TEST_F(SfoTrainingTest, RefusesWhatItCannotRun) {
  const auto message = [this](const auto& change) {
    TrainConfig config = config_;
    change(config);
    try {
      config.validate();
      Trainer trainer(config, data_);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([](TrainConfig& c) { c.network.dropout = 0.5f; }).rfind("dropout: sfo", 0),
            0u);
  EXPECT_EQ(message([](TrainConfig& c) { c.network.batchnorm = true; }).rfind("batchnorm: sfo", 0),
            0u);
  EXPECT_EQ(message([](TrainConfig& c) { c.schedule.kind = ScheduleKind::cosine; }),
            "schedule: sfo chooses its own steps; leave the schedule constant");
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer_options["subfunctions"] = std::int64_t{401};
            }),
            "subfunctions: expected at most the 400 training samples, got 401");
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer_options["history"] = std::int64_t{33};
            }).rfind("history: expected 1 <= L <= 32", 0),
            0u);
  const std::string too_large = message(
      [](TrainConfig& c) { c.optimizer_options["max-memory"] = std::int64_t{1000}; });
  EXPECT_EQ(too_large.rfind("max-memory: SFO with M = ", 0), 0u) << too_large;
  EXPECT_NE(too_large.find(" parameters, N = 25 subfunctions and history L = 10 needs "),
            std::string::npos)
      << too_large;
  EXPECT_EQ(message([](TrainConfig& c) {
              c.optimizer = "adam";
              c.optimizer_options["subfunctions"] = std::int64_t{5};
            }),
            "subfunctions: not a setting of optimizer 'adam'");
}

TEST(SfoPartition, FollowsTheAuthorsGuidance) {
  EXPECT_EQ(SfoPartition{}.count_for(55000), 25u);  // sqrt(55000) / 10 = 23.5: at least 25
  EXPECT_EQ(SfoPartition{}.count_for(1000000), 100u);
  EXPECT_EQ(SfoPartition{}.count_for(10), 10u);  // never more than the samples
  EXPECT_EQ(SfoPartition{7}.count_for(100), 7u);
  EXPECT_THROW(SfoPartition{101}.count_for(100), ConfigError);
}

}  // namespace
}  // namespace descent

// The divergence bound of a training run: the bias-corrected moving average of
// the loss against diverge_factor times the first loss, across a resume too.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/train/trainer.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

// The first iteration (1-based) at which the bias-corrected average of the
// losses (beta 0.9) exceeds factor x the first loss; 0 if none.
std::size_t first_past_bound(const std::vector<float>& losses, double factor) {
  double average = 0;
  for (std::size_t i = 0; i < losses.size(); ++i) {
    average = 0.9 * average + 0.1 * losses[i];
    const double corrected = average / (1 - std::pow(0.9, static_cast<double>(i + 1)));
    if (corrected > factor * losses.front()) return i + 1;
  }
  return 0;
}

class DivergenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const DataOptions options = testing::write_synthetic_data(data_dir_.path(), 360, 60, 60, 4);
    data_ = load_splits(options);
    config_.data = options;
    config_.network.input_dim = data_.train.dim();
    config_.network.hidden = {32, 16};
    config_.epochs = 3;
    config_.batch_size = 30;  // 10 batches an epoch
    config_.seed = 9;
    config_.train_eval_samples = 100;
    config_.learning_rate = 0.05;
  }

  testing::TempDir data_dir_;
  testing::TempDir runs_;
  DataSplits data_;
  TrainConfig config_;
};

TEST_F(DivergenceTest, AbsurdRateStopsAtTheBoundNamingTheFactor) {
  config_.learning_rate = 10;
  config_.diverge_factor = 3;
  Trainer trainer(config_, data_, runs_.path() / "a");
  const TrainResult result = trainer.run();
  ASSERT_EQ(result.status, RunStatus::Diverged);
  const auto& losses = trainer.history().loss;
  // Stopped by the bound, on finite losses, at the first iteration past it.
  for (float loss : losses) ASSERT_TRUE(std::isfinite(loss)) << result.message;
  EXPECT_EQ(result.iterations, losses.size());
  EXPECT_EQ(first_past_bound(losses, 3), losses.size());
  EXPECT_NE(result.message.find("3 times"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("iteration " + std::to_string(losses.size())), std::string::npos)
      << result.message;
  const auto metrics = nlohmann::json::parse(read_file(runs_.path() / "a" / "metrics.json"));
  EXPECT_EQ(metrics["status"], "diverged");
  EXPECT_EQ(metrics["message"], result.message);

  // A larger factor lets it run on further.
  config_.diverge_factor = 50;
  Trainer looser(config_, data_);
  const TrainResult further = looser.run();
  EXPECT_GT(further.iterations, result.iterations);
  if (further.status == RunStatus::Diverged && std::isfinite(looser.history().loss.back())) {
    EXPECT_EQ(first_past_bound(looser.history().loss, 50), further.iterations);
  }
}

TEST_F(DivergenceTest, WithoutAFactorOnlyNanOrInfinityStopsTheRun) {
  config_.learning_rate = 10;
  config_.diverge_factor = 0;
  Trainer trainer(config_, data_);
  const TrainResult result = trainer.run();
  const auto& losses = trainer.history().loss;
  ASSERT_FALSE(losses.empty());
  // Past where a factor of 3 would have stopped it.
  EXPECT_GT(losses.size(), first_past_bound(losses, 3));
  EXPECT_GT(first_past_bound(losses, 3), 0u);
  if (result.status == RunStatus::Diverged) {
    EXPECT_FALSE(std::isfinite(losses.back()));
    EXPECT_TRUE(result.message.find("NaN") != std::string::npos ||
                result.message.find("infinite") != std::string::npos)
        << result.message;
    for (std::size_t i = 0; i + 1 < losses.size(); ++i) EXPECT_TRUE(std::isfinite(losses[i]));
  } else {
    EXPECT_EQ(result.status, RunStatus::Finished);
    EXPECT_EQ(result.iterations, 30u);
  }
}

TEST_F(DivergenceTest, NormalRunWithTheBoundFinishes) {
  config_.diverge_factor = 3;
  Trainer trainer(config_, data_);
  const TrainResult result = trainer.run();
  EXPECT_EQ(result.status, RunStatus::Finished) << result.message;
  EXPECT_EQ(result.iterations, 30u);
  EXPECT_EQ(first_past_bound(trainer.history().loss, 3), 0u);
  // The same numbers as without the bound: it only watches.
  config_.diverge_factor = 0;
  Trainer unbounded(config_, data_);
  unbounded.run();
  EXPECT_EQ(trainer.history().loss, unbounded.history().loss);
}

// Stopped at iteration `stop` and resumed in a new Trainer from the checkpoint.
TrainResult stopped_and_resumed(const TrainConfig& config, const DataSplits& data,
                                const fs::path& dir, std::size_t stop, std::vector<float>& losses) {
  {
    Trainer first(config, data, dir);
    first.on_iteration = [stop](const Progress& p) { return p.iteration == stop; };
    const TrainResult partial = first.run();
    EXPECT_EQ(partial.status, RunStatus::Interrupted);
  }
  Trainer second(config, data, dir);
  second.resume(dir / "checkpoint.bin");
  const TrainResult result = second.run();
  losses = second.history().loss;
  return result;
}

TEST_F(DivergenceTest, ResumedRunStopsWhereTheUninterruptedOneDoes) {
  config_.diverge_factor = 1.5;
  // A rate at which the loss first falls, then climbs and crosses the bound
  // late, so that the average before the stop decides when.
  config_.optimizer = "momentum";
  config_.learning_rate = 1;
  Trainer whole(config_, data_, runs_.path() / "whole");
  const TrainResult expected = whole.run();
  ASSERT_EQ(expected.status, RunStatus::Diverged) << "pick a rate that diverges";
  ASSERT_GT(expected.iterations, 10u);
  for (std::size_t stop : {std::size_t{2}, expected.iterations - 1}) {
    const fs::path dir = runs_.path() / ("stopped" + std::to_string(stop));
    std::vector<float> losses;
    const TrainResult result = stopped_and_resumed(config_, data_, dir, stop, losses);
    EXPECT_EQ(result.status, RunStatus::Diverged) << "stop " << stop;
    EXPECT_EQ(result.iterations, expected.iterations) << "stop " << stop;
    EXPECT_EQ(result.message, expected.message);
    EXPECT_EQ(losses, whole.history().loss);
    EXPECT_EQ(read_file(dir / "loss.csv"), read_file(runs_.path() / "whole" / "loss.csv"));
  }
}

TEST_F(DivergenceTest, ResumedFinishingRunEqualsTheUninterruptedOne) {
  config_.diverge_factor = 3;
  Trainer whole(config_, data_, runs_.path() / "whole");
  const TrainResult expected = whole.run();
  ASSERT_EQ(expected.status, RunStatus::Finished);
  std::vector<float> losses;
  const TrainResult result =
      stopped_and_resumed(config_, data_, runs_.path() / "stopped", 13, losses);
  EXPECT_EQ(result.status, RunStatus::Finished);
  EXPECT_EQ(losses, whole.history().loss);
  EXPECT_EQ(result.test_accuracy, expected.test_accuracy);
}

TEST_F(DivergenceTest, FactorIsValidatedAndWrittenToTheConfig) {
  for (double bad : std::vector<double>{0.5, 1.0, -1.0, std::numeric_limits<double>::infinity(),
                                        std::numeric_limits<double>::quiet_NaN()}) {
    config_.diverge_factor = bad;
    try {
      config_.validate();
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("diverge-factor"), std::string::npos) << e.what();
    }
  }
  for (double good : {0.0, 1.5, 3.0}) {
    config_.diverge_factor = good;
    EXPECT_NO_THROW(config_.validate()) << good;
  }
  config_.diverge_factor = 2.5;
  EXPECT_EQ(to_json(config_)["diverge-factor"], 2.5);
  // A checkpoint of another factor is another run's.
  Trainer first(config_, data_, runs_.path() / "a");
  first.on_iteration = [](const Progress& p) { return p.iteration == 3; };
  first.run();
  config_.diverge_factor = 4;
  Trainer other(config_, data_);
  EXPECT_THROW(other.resume(runs_.path() / "a" / "checkpoint.bin"), FormatError);
}

}  // namespace
}  // namespace descent

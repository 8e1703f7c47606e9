// The learning-rate range test: its exponential rates, the smoothed loss, the
// suggestion, the early stop, and the checks of its settings.
#include "descent/train/lr_finder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

class LrFinderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const DataOptions options = testing::write_synthetic_data(data_dir_.path(), 360, 60, 60, 5);
    data_ = load_splits(options);
    config_.data = options;
    config_.network.input_dim = data_.train.dim();
    config_.network.hidden = {16};
    config_.batch_size = 30;  // 300 training samples: 10 batches an epoch
    config_.optimizer = "sgd";
    config_.seed = 2;
  }

  // A test that never stops early.
  static LrFindConfig calm(std::size_t steps) {
    LrFindConfig find;
    find.start_lr = 1e-4;
    find.end_lr = 0.5;
    find.steps = steps;
    find.stop_factor = 1e9;
    return find;
  }

  // The smoothed loss, recomputed from the losses.
  static std::vector<double> smoothed(const std::vector<double>& losses, double beta) {
    std::vector<double> out;
    double average = 0;
    for (std::size_t i = 0; i < losses.size(); ++i) {
      average = beta * average + (1 - beta) * losses[i];
      out.push_back(average / (1 - std::pow(beta, static_cast<double>(i + 1))));
    }
    return out;
  }

  testing::TempDir data_dir_;
  DataSplits data_;
  TrainConfig config_;
};

TEST_F(LrFinderTest, RatesRiseExponentiallyFromStartToEnd) {
  const LrFindConfig find = calm(25);
  const LrFindResult result = find_learning_rate(config_, data_, find);
  ASSERT_EQ(result.learning_rates.size(), 25u);
  EXPECT_EQ(result.losses.size(), 25u);
  EXPECT_EQ(result.smoothed.size(), 25u);
  EXPECT_FALSE(result.stopped_early);
  for (std::size_t i = 0; i < 25; ++i) {
    EXPECT_DOUBLE_EQ(result.learning_rates[i],
                     1e-4 * std::pow(0.5 / 1e-4, static_cast<double>(i) / 24.0))
        << i;
  }
  EXPECT_DOUBLE_EQ(result.learning_rates.front(), 1e-4);
  EXPECT_DOUBLE_EQ(result.learning_rates.back(), 0.5);
  for (std::size_t i = 1; i < 25; ++i) {
    // Equal ratios: a straight line on a log axis.
    EXPECT_NEAR(result.learning_rates[i] / result.learning_rates[i - 1],
                std::pow(0.5 / 1e-4, 1.0 / 24.0), 1e-12);
  }
}

TEST_F(LrFinderTest, SmoothedIsTheBiasCorrectedMovingAverage) {
  for (double beta : {0.98, 0.5, 0.0}) {
    LrFindConfig find = calm(30);
    find.smoothing = beta;
    const LrFindResult result = find_learning_rate(config_, data_, find);
    const std::vector<double> expected = smoothed(result.losses, beta);
    ASSERT_EQ(result.smoothed.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_DOUBLE_EQ(result.smoothed[i], expected[i]) << "beta " << beta << ", step " << i;
    }
    if (beta == 0.0) {
      EXPECT_EQ(result.smoothed, result.losses);
    }
  }
}

TEST_F(LrFinderTest, SuggestsATenthOfTheRateAtTheLowestSmoothedLoss) {
  LrFindConfig find = calm(40);
  find.end_lr = 20;
  find.smoothing = 0.7;
  const LrFindResult result = find_learning_rate(config_, data_, find);
  ASSERT_FALSE(result.smoothed.empty());
  const auto at = static_cast<std::size_t>(
      std::min_element(result.smoothed.begin(), result.smoothed.end()) - result.smoothed.begin());
  EXPECT_EQ(result.min_loss_lr, result.learning_rates[at]);
  EXPECT_EQ(result.suggested_lr, result.min_loss_lr / 10);
  // The loss fell to a minimum inside the range: the test found something.
  EXPECT_GT(at, 0u);
  EXPECT_LT(result.smoothed[at], result.smoothed.front());
  // The steepest fall lies at or before the minimum, at one of the rates tried.
  EXPECT_LE(result.steepest_lr, result.min_loss_lr);
  EXPECT_NE(
      std::find(result.learning_rates.begin(), result.learning_rates.end(), result.steepest_lr),
      result.learning_rates.end());
}

TEST_F(LrFinderTest, StopsOnceTheLossBlowsUpButNotBeforeMinSteps) {
  // Rates too large from the start: the loss climbs at once.
  LrFindConfig find;
  find.start_lr = 10;
  find.end_lr = 1e4;
  find.steps = 100;
  find.smoothing = 0.5;
  const LrFindResult result = find_learning_rate(config_, data_, find);
  EXPECT_TRUE(result.stopped_early);
  ASSERT_LT(result.learning_rates.size(), 100u);
  // The first step where the rule holds is the last one taken.
  const auto first_stop = [&](const LrFindResult& r, std::size_t min_steps) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < r.smoothed.size(); ++i) {
      best = std::min(best, r.smoothed[i]);
      if (i + 1 >= min_steps && r.smoothed[i] > find.stop_factor * best) return i + 1;
    }
    return std::size_t{0};
  };
  const std::size_t taken = result.learning_rates.size();
  ASSERT_EQ(first_stop(result, find.min_steps), taken) << "stopped by a non-finite loss";
  EXPECT_GE(taken, find.min_steps);
  // Told not to stop before more steps, it goes on to them.
  find.min_steps = taken + 5;
  const LrFindResult longer = find_learning_rate(config_, data_, find);
  EXPECT_GE(longer.learning_rates.size(), find.min_steps);
  for (std::size_t i = 0; i < taken; ++i) {
    EXPECT_EQ(longer.losses[i], result.losses[i]) << i;  // the same test up to there
  }
}

TEST_F(LrFinderTest, ZeroStepsMeansOneEpoch) {
  const LrFindResult result = find_learning_rate(config_, data_, calm(0));
  EXPECT_EQ(result.learning_rates.size(), 10u);
  EXPECT_DOUBLE_EQ(result.learning_rates.back(), 0.5);
  config_.batch_size = 100;
  EXPECT_EQ(find_learning_rate(config_, data_, calm(0)).learning_rates.size(), 3u);
}

TEST_F(LrFinderTest, SameSeedSameTestAndTheRunsRateIsIgnored) {
  const LrFindResult a = find_learning_rate(config_, data_, calm(20));
  config_.learning_rate = 0.7;
  const LrFindResult b = find_learning_rate(config_, data_, calm(20));
  EXPECT_EQ(a.losses, b.losses);
  config_.seed = 3;
  const LrFindResult c = find_learning_rate(config_, data_, calm(20));
  EXPECT_NE(a.losses, c.losses);
  config_.optimizer = "adam";
  const LrFindResult d = find_learning_rate(config_, data_, calm(20));
  EXPECT_NE(c.losses, d.losses);
}

TEST_F(LrFinderTest, BadSettingsNameTheField) {
  const auto expect_error = [&](LrFindConfig find, const std::string& field) {
    try {
      find_learning_rate(config_, data_, find);
      ADD_FAILURE() << "no ConfigError for " << field;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  LrFindConfig find;
  find.start_lr = 0;
  expect_error(find, "start-lr");
  find = {};
  find.start_lr = -1;
  expect_error(find, "start-lr");
  find = {};
  find.end_lr = find.start_lr;
  expect_error(find, "end-lr");
  find = {};
  find.end_lr = std::numeric_limits<double>::infinity();
  expect_error(find, "end-lr");
  find = {};
  find.smoothing = 1;
  expect_error(find, "smoothing");
  find = {};
  find.smoothing = -0.1;
  expect_error(find, "smoothing");
  find = {};
  find.stop_factor = 1;
  expect_error(find, "stop-factor");
  find = {};
  find.steps = 1;
  expect_error(find, "steps");
  EXPECT_NO_THROW(LrFindConfig{}.validate());
  config_.batch_size = 0;
  expect_error(calm(5), "batch-size");
}

TEST_F(LrFinderTest, JsonHasTheDocumentedKeys) {
  const LrFindConfig find = calm(12);
  const LrFindResult result = find_learning_rate(config_, data_, find);
  const nlohmann::json json = to_json(result, "sgd", find);
  EXPECT_EQ(json["optimizer"], "sgd");
  EXPECT_EQ(json["start_lr"], find.start_lr);
  EXPECT_EQ(json["end_lr"], find.end_lr);
  EXPECT_EQ(json["lr"], nlohmann::json(result.learning_rates));
  EXPECT_EQ(json["loss"], nlohmann::json(result.losses));
  EXPECT_EQ(json["smoothed"], nlohmann::json(result.smoothed));
  EXPECT_EQ(json["suggested_lr"], result.suggested_lr);
  EXPECT_EQ(json["min_loss_lr"], result.min_loss_lr);
  EXPECT_EQ(json["lr"].size(), 12u);
}

}  // namespace
}  // namespace descent

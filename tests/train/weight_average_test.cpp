// Weight averaging: the two rules on their own, and the trainer's averaged
// model equal to the average computed here, in double, from the weights the
// run went through.
#include "descent/train/weight_average.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/train/model_file.hpp"
#include "train/trainer_fixture.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::TrainerTest;

WeightAverageConfig ema(double decay) {
  WeightAverageConfig config;
  config.kind = AverageKind::ema;
  config.ema_decay = decay;
  return config;
}

WeightAverageConfig swa(std::size_t start, double lr) {
  WeightAverageConfig config;
  config.kind = AverageKind::swa;
  config.swa_start = start;
  config.swa_lr = lr;
  return config;
}

TEST(WeightAverage, EmaCopiesFirstThenDecays) {
  WeightAverage average(ema(0.75), 2, 1);
  average.update(std::vector<float>{4, -8}, std::vector<float>{1});
  EXPECT_EQ(average.count(), 1u);
  EXPECT_EQ(average.params()[0], 4.0f);
  EXPECT_EQ(average.params()[1], -8.0f);
  average.update(std::vector<float>{0, 8}, std::vector<float>{5});
  // 0.75 * 4 + 0.25 * 0 = 3;  0.75 * -8 + 0.25 * 8 = -4;  0.75 * 1 + 0.25 * 5 = 2
  EXPECT_EQ(average.params()[0], 3.0f);
  EXPECT_EQ(average.params()[1], -4.0f);
  EXPECT_EQ(average.buffers()[0], 2.0f);
}

TEST(WeightAverage, SwaIsTheMeanOfItsUpdates) {
  WeightAverage average(swa(1, 0), 1, 1);
  for (float w : {1.0f, 2.0f, 6.0f, 3.0f}) average.update(std::vector<float>{w}, std::vector{-w});
  EXPECT_EQ(average.count(), 4u);
  EXPECT_EQ(average.params()[0], 3.0f);
  EXPECT_EQ(average.buffers()[0], -3.0f);
}

TEST(WeightAverage, SavesAndLoadsItsState) {
  WeightAverage a(ema(0.5), 3, 0);
  a.update(std::vector<float>{1, 2, 3}, {});
  a.update(std::vector<float>{3, 2, 1}, {});
  ByteWriter out;
  a.save(out);
  WeightAverage b(ema(0.5), 3, 0);
  ByteReader in(out.bytes(), "test");
  b.load(in);
  EXPECT_EQ(b.count(), 2u);
  EXPECT_TRUE(std::equal(a.params().begin(), a.params().end(), b.params().begin()));
  WeightAverage other_size(ema(0.5), 4, 0);
  ByteReader again(out.bytes(), "test");
  EXPECT_THROW(other_size.load(again), FormatError);
  EXPECT_THROW(a.update(std::vector<float>{1, 2}, {}), ShapeError);
}

TEST(WeightAverage, BadConfigurationsNameTheFlag) {
  const auto message = [](const WeightAverageConfig& config) {
    try {
      config.validate();
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(ema(1.5)).rfind("ema:", 0), 0u);
  EXPECT_EQ(message(ema(1.0)).rfind("ema:", 0), 0u);
  EXPECT_EQ(message(ema(0.0)).rfind("ema:", 0), 0u);
  EXPECT_EQ(message(swa(0, 0)).rfind("swa-start:", 0), 0u);
  EXPECT_EQ(message(swa(1, -0.1)).rfind("swa-lr:", 0), 0u);
  EXPECT_EQ(message(swa(1, 0.1)), "no error");
}

// Parameters and buffers of a network, in double.
struct Weights {
  std::vector<double> params;
  std::vector<double> buffers;
};

Weights weights_of(Network& network) {
  const auto p = network.params().values();
  const auto b = network.buffers();
  return {{p.begin(), p.end()}, {b.begin(), b.end()}};
}

// |a - e| <= tolerance * max(1, |e|) elementwise.
void expect_near(std::span<const float> actual, const std::vector<double>& expected,
                 double tolerance, const char* what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  double worst = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double error = std::abs(static_cast<double>(actual[i]) - expected[i]);
    worst = std::max(worst, error / std::max(1.0, std::abs(expected[i])));
  }
  EXPECT_LE(worst, tolerance) << what;
}

// The largest |a - b| over the parameters.
double largest_difference(const std::vector<double>& a, std::span<const float> b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(a[i] - static_cast<double>(b[i])));
  }
  return worst;
}

class AveragedRunTest : public TrainerTest {};

// Float rounding of each update, carried by the decay, stays below
// 1 / (1 - decay) float epsilons of a weight (about 1e-6 relative here); the
// bound leaves room and is far below the average's distance from the final
// weights.
constexpr double kTolerance = 1e-5;

TEST_F(AveragedRunTest, EmaModelIsTheEmaOfTheWeightsAfterEachStep) {
  const double decay = 0.9;
  config_.average = ema(decay);
  const fs::path dir = runs_.path() / "ema";
  Trainer trainer(config_, data_, dir);
  std::vector<Weights> steps;
  trainer.on_iteration = [&](const Progress&) {
    steps.push_back(weights_of(trainer.network()));
    return false;
  };
  const TrainResult result = trainer.run();
  ASSERT_EQ(result.status, RunStatus::Finished);
  ASSERT_EQ(steps.size(), 52u);

  // avg_1 = w_1;  avg_t = decay * avg_(t-1) + (1 - decay) * w_t
  Weights expected = steps.front();
  for (std::size_t t = 1; t < steps.size(); ++t) {
    for (std::size_t i = 0; i < expected.params.size(); ++i) {
      expected.params[i] = decay * expected.params[i] + (1 - decay) * steps[t].params[i];
    }
    for (std::size_t i = 0; i < expected.buffers.size(); ++i) {
      expected.buffers[i] = decay * expected.buffers[i] + (1 - decay) * steps[t].buffers[i];
    }
  }
  Network saved = load_model(dir / "model_ema.bin");
  expect_near(saved.params().values(), expected.params, kTolerance, "parameters");
  expect_near(saved.buffers(), expected.buffers, kTolerance, "buffers");
  EXPECT_GT(largest_difference(steps.back().params, saved.params().values()), 100 * kTolerance)
      << "the average is the final weights";

  const auto metrics = nlohmann::json::parse(read_file(dir / "metrics.json"));
  EXPECT_EQ(metrics["averaged_model"], "model_ema.bin");
  const auto test = saved.evaluate(data_.test.features, data_.test.labels);
  EXPECT_EQ(metrics["averaged_test_acc"].get<double>(), test.accuracy);
  EXPECT_EQ(metrics["averaged_test_loss"].get<double>(), test.loss);
  ASSERT_TRUE(result.averaged_test);
  EXPECT_EQ(result.averaged_test->accuracy, test.accuracy);
  // The last epoch's averaged validation accuracy is the saved model's.
  const auto history = nlohmann::json::parse(read_file(dir / "history.json"));
  const auto val = saved.evaluate(data_.validation.features, data_.validation.labels);
  EXPECT_EQ(history["epochs"].back()["avg_val_acc"].get<double>(), val.accuracy);
  EXPECT_NE(read_file(dir / "history.csv").find(",avg_val_loss,avg_val_acc\n"), std::string::npos);
}

TEST_F(AveragedRunTest, SwaModelIsTheMeanOfTheEpochEndsFromSwaStart) {
  config_.average = swa(2, 0.01);
  const fs::path dir = runs_.path() / "swa";
  Trainer trainer(config_, data_, dir);
  std::vector<Weights> epoch_ends;
  trainer.on_epoch = [&](const Progress&) { epoch_ends.push_back(weights_of(trainer.network())); };
  ASSERT_EQ(trainer.run().status, RunStatus::Finished);
  ASSERT_EQ(epoch_ends.size(), 4u);

  // The mean of the weights at the end of epochs 2, 3 and 4.
  Weights expected = epoch_ends[1];
  for (std::size_t i = 0; i < expected.params.size(); ++i) {
    expected.params[i] = (epoch_ends[1].params[i] + epoch_ends[2].params[i] +
                          epoch_ends[3].params[i]) / 3;
  }
  for (std::size_t i = 0; i < expected.buffers.size(); ++i) {
    expected.buffers[i] = (epoch_ends[1].buffers[i] + epoch_ends[2].buffers[i] +
                           epoch_ends[3].buffers[i]) / 3;
  }
  Network saved = load_model(dir / "model_swa.bin");
  expect_near(saved.params().values(), expected.params, 1e-6, "parameters");
  expect_near(saved.buffers(), expected.buffers, 1e-6, "buffers");
  EXPECT_GT(largest_difference(epoch_ends.back().params, saved.params().values()), 1e-4);

  // Epoch 1 follows the schedule (constant 0.05), epochs 2 to 4 run at swa-lr.
  const History& history = trainer.history();
  EXPECT_EQ(history.learning_rate[12], 0.05f);
  EXPECT_EQ(history.learning_rate[13], 0.01f);
  EXPECT_EQ(history.learning_rate.back(), 0.01f);
  EXPECT_TRUE(std::isnan(history.epochs[0].avg_val_accuracy));
  EXPECT_FALSE(std::isnan(history.epochs[1].avg_val_accuracy));
  const auto json = nlohmann::json::parse(read_file(dir / "history.json"));
  EXPECT_TRUE(json["epochs"][0]["avg_val_acc"].is_null());
}

TEST_F(AveragedRunTest, WithoutAveragingTheFilesStayAsTheyWere) {
  const fs::path dir = runs_.path() / "plain";
  Trainer(config_, data_, dir).run();
  EXPECT_FALSE(fs::exists(dir / "model_ema.bin"));
  EXPECT_FALSE(fs::exists(dir / "model_swa.bin"));
  EXPECT_FALSE(nlohmann::json::parse(read_file(dir / "metrics.json")).contains("averaged_model"));
  EXPECT_EQ(read_file(dir / "history.csv").find("avg_"), std::string::npos);
  EXPECT_FALSE(nlohmann::json::parse(read_file(dir / "config.json")).contains("ema"));
}

TEST_F(AveragedRunTest, ResumedEmaRunEqualsAnUninterruptedOne) {
  config_.average = ema(0.95);
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {5, 20, 26, 44});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
  EXPECT_EQ(read_file(runs_.path() / "whole" / "model_ema.bin"),
            read_file(runs_.path() / "stopped" / "model_ema.bin"));
}

TEST_F(AveragedRunTest, ResumedSwaRunEqualsAnUninterruptedOne) {
  config_.average = swa(2, 0.02);
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {10, 26, 30});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
  EXPECT_EQ(read_file(runs_.path() / "whole" / "model_swa.bin"),
            read_file(runs_.path() / "stopped" / "model_swa.bin"));
}

TEST_F(AveragedRunTest, SwaStartBeyondTheRunIsRefused) {
  config_.average = swa(5, 0);
  try {
    Trainer trainer(config_, data_);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("swa-start:", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace descent

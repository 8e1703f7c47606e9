// Time to target on a run whose curve is known, the target's parsing, and the
// summary fields.
#include "descent/experiment/time_to_target.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

namespace descent {
namespace {

using testing::throws_with;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Five epochs of 10 iterations at batch 32 on 320 samples: passes[i] = (i + 1) / 10.
// Each epoch trains for 1 s and evaluates for 0.5 s.
History known_run() {
  History h;
  for (int i = 0; i < 50; ++i) {
    h.loss.push_back(1.0f);
    h.learning_rate.push_back(0.1f);
    h.passes.push_back((i + 1) / 10.0);
  }
  const double val_acc[] = {0.5, 0.8, 0.87, 0.88, 0.9};
  const double val_loss[] = {2.0, 1.0, 0.5, 0.4, 0.45};
  const double train_acc[] = {0.55, 0.85, 0.92, 0.93, 0.95};
  const double train_loss[] = {1.5, 0.9, 0.4, 0.3, 0.35};
  for (std::size_t e = 0; e < 5; ++e) {
    EpochRecord r;
    r.epoch = e + 1;
    r.iteration = 10 * (e + 1);
    r.val_accuracy = val_acc[e];
    r.val_loss = val_loss[e];
    r.train_accuracy = train_acc[e];
    r.train_loss = train_loss[e];
    r.train_seconds = 1.0 * static_cast<double>(e + 1);
    r.seconds = 1.5 * static_cast<double>(e + 1);
    h.epochs.push_back(r);
  }
  return h;
}

TEST(TimeToTargetTest, FirstEpochAtOrPastTheTargetGivesStepPassAndTrainingSecond) {
  // val_acc reaches 0.88 first at epoch 4 (equal counts): 40 iterations,
  // passes[39] = 4, and 4 s of training (evaluation's 2 s left out).
  const TimeToTarget t = time_to_target(known_run(), parse_target("val_acc=0.88"));
  EXPECT_TRUE(t.reached());
  EXPECT_EQ(t.steps, 40);
  EXPECT_EQ(t.passes, 4.0);
  EXPECT_EQ(t.seconds, 4.0);
  // 0.875 is reached at 0.88 too, not before: epoch 3 has 0.87.
  EXPECT_EQ(time_to_target(known_run(), parse_target("val_acc=0.875")).steps, 40);
  EXPECT_EQ(time_to_target(known_run(), parse_target("val_acc=0.87")).steps, 30);
}

TEST(TimeToTargetTest, LossesReachTheTargetFromAbove) {
  // val_loss 2, 1, 0.5, 0.4, 0.45: <= 0.5 at epoch 3, <= 0.4 at epoch 4.
  EXPECT_EQ(time_to_target(known_run(), parse_target("val_loss=0.5")).steps, 30);
  EXPECT_EQ(time_to_target(known_run(), parse_target("val_loss=0.4")).steps, 40);
  // train_loss 1.5, 0.9, 0.4, ...: 0.4 at epoch 3; train_acc 0.55, 0.85, 0.92: 0.9 at epoch 3.
  EXPECT_EQ(time_to_target(known_run(), parse_target("train_loss=0.4")).steps, 30);
  EXPECT_EQ(time_to_target(known_run(), parse_target("train_acc=0.9")).steps, 30);
}

TEST(TimeToTargetTest, NeverReachedIsInfiniteAndNullInTheSummary) {
  const TimeToTarget t = time_to_target(known_run(), parse_target("val_acc=0.95"));
  EXPECT_FALSE(t.reached());
  EXPECT_EQ(t.steps, inf);
  EXPECT_EQ(t.passes, inf);
  EXPECT_EQ(t.seconds, inf);
  const nlohmann::json json = to_json(t);
  EXPECT_TRUE(json.at("steps_to_target").is_null());
  EXPECT_TRUE(json.at("passes_to_target").is_null());
  EXPECT_TRUE(json.at("seconds_to_target").is_null());
  EXPECT_EQ(csv_cells(t), ",,");
}

TEST(TimeToTargetTest, SummaryFieldsOfAReachedTarget) {
  const nlohmann::json json = to_json(time_to_target(known_run(), parse_target("val_acc=0.88")));
  EXPECT_TRUE(json.at("steps_to_target").is_number_integer());
  EXPECT_EQ(json.at("steps_to_target"), 40);
  EXPECT_EQ(json.at("passes_to_target"), 4.0);
  EXPECT_EQ(json.at("seconds_to_target"), 4.0);
  EXPECT_EQ(csv_cells(time_to_target(known_run(), parse_target("val_acc=0.88"))), "40,4,4");
}

TEST(TimeToTargetTest, WallSecondsWhereTrainingSecondsWereNotMeasured) {
  History h = known_run();
  for (EpochRecord& e : h.epochs) e.train_seconds = nan;
  EXPECT_EQ(time_to_target(h, parse_target("val_acc=0.88")).seconds, 6.0);
}

TEST(TimeToTargetTest, DivergedEpochsNeverReachAndMissingPassesAreUnknown) {
  History h = known_run();
  h.epochs[3].val_accuracy = nan;
  h.epochs[3].val_loss = nan;
  EXPECT_EQ(time_to_target(h, parse_target("val_acc=0.88")).steps, 50);
  EXPECT_EQ(time_to_target(h, parse_target("val_loss=0.45")).steps, 50);

  // A sweep folder written before passes were recorded has none.
  const TimeToTarget t = time_to_target(h.epochs, {}, parse_target("val_acc=0.5"));
  EXPECT_EQ(t.steps, 10);
  EXPECT_TRUE(std::isnan(t.passes));
  EXPECT_TRUE(to_json(t).at("passes_to_target").is_null());
  EXPECT_EQ(t.seconds, 1.0);
}

TEST(TimeToTargetTest, TargetTextRoundTrips) {
  const Target target = parse_target("avg_val_loss=0.25");
  EXPECT_EQ(target.metric, EpochMetric::avg_val_loss);
  EXPECT_EQ(target.value, 0.25);
  EXPECT_EQ(to_string(target), "avg_val_loss=0.25");
  EXPECT_EQ(to_string(parse_target("val_acc=0.88")), "val_acc=0.88");
}

TEST(TimeToTargetTest, BadTargetsAreOneLineConfigErrors) {
  EXPECT_TRUE(throws_with<ConfigError>(
      [] { parse_target("val_ac=0.88"); },
      {"target 'val_ac=0.88'", "unknown metric 'val_ac'", "val_acc", "train_loss"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("val_acc=abc"); },
                                       {"target 'val_acc=abc'", "value 'abc' is not a number"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("val_acc=0.88x"); },
                                       {"value '0.88x' is not a number"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("val_acc="); }, {"is not a number"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("val_acc"); }, {"METRIC=VALUE"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("val_acc=1.5"); }, {"[0, 1]"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("val_acc=nan"); }, {"[0, 1]"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("val_loss=-1"); }, {">= 0"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_target("train_loss=inf"); }, {"finite"}));
}

}  // namespace
}  // namespace descent

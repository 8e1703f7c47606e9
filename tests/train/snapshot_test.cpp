// Snapshot ensembles: eq. 2 of Huang et al. 2017 as the run's learning rate,
// one snapshot per cycle equal to the weights at the cycle's end, and a
// resumed run that writes the same snapshots.
#include "descent/train/snapshot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/train/model_file.hpp"
#include "train/trainer_fixture.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::TrainerTest;

TEST(SnapshotPlan, ScheduleIsEquationTwoAtHandDerivedPoints) {
  // T = 16, M = 4: cycles of ceil(16 / 4) = 4 updates. Eq. 2 at t = 1 .. 5
  // (descent's t = 0 .. 4): lr0 * (cos(pi * k / 4) + 1) / 2 for k = 0, 1, 2, 3, 0.
  const SnapshotPlan plan(4, 16);
  EXPECT_EQ(plan.cycle_length(), 4u);
  const double lr0 = 0.2;
  const double expected[] = {lr0, lr0 * (2 + std::numbers::sqrt2) / 4, lr0 / 2,
                             lr0 * (2 - std::numbers::sqrt2) / 4, lr0};
  for (std::size_t t = 0; t < 5; ++t) {
    EXPECT_NEAR(schedule_lr(plan.schedule(), lr0, t), expected[t], 1e-15) << "t = " << t;
  }
  EXPECT_NEAR(schedule_lr(plan.schedule(), lr0, 15), lr0 * (2 - std::numbers::sqrt2) / 4, 1e-15);
}

TEST(SnapshotPlan, CyclesEndEveryCeilTOverMAndAtTheRunsEnd) {
  const SnapshotPlan plan(4, 10);  // cycles of 3: ends at 3, 6, 9 and 10
  std::map<std::size_t, std::size_t> ends;
  for (std::size_t i = 0; i <= 12; ++i) {
    if (const auto k = plan.cycle_ending_at(i)) ends[i] = *k;
  }
  EXPECT_EQ(ends, (std::map<std::size_t, std::size_t>{{3, 1}, {6, 2}, {9, 3}, {10, 4}}));
  EXPECT_THROW(SnapshotPlan(0, 10), ConfigError);
  // Cycles of ceil(10 / 6) = 2 cover the 10 updates in 5 cycles, not 6.
  EXPECT_THROW(SnapshotPlan(6, 10), ConfigError);
  EXPECT_THROW(SnapshotPlan(11, 10), ConfigError);
  EXPECT_NO_THROW(SnapshotPlan(10, 10));
}

class SnapshotRunTest : public TrainerTest {
 protected:
  void SetUp() override {
    TrainerTest::SetUp();
    config_.snapshots = 4;  // 52 updates: cycles of 13, one an epoch
    config_.learning_rate = 0.08;
  }
};

TEST_F(SnapshotRunTest, LearningRateIsEquationTwo) {
  Trainer trainer(config_, data_);
  ASSERT_EQ(trainer.run().status, RunStatus::Finished);
  const auto& lr = trainer.history().learning_rate;
  ASSERT_EQ(lr.size(), 52u);
  const std::size_t cycle = 13;  // ceil(52 / 4)
  for (std::size_t t = 1; t <= lr.size(); ++t) {
    // lr(t) = lr0 / 2 * (cos(pi * mod(t - 1, ceil(T / M)) / ceil(T / M)) + 1)
    const double expected =
        0.08 / 2 * (std::cos(std::numbers::pi * static_cast<double>((t - 1) % cycle) / 13.0) + 1);
    EXPECT_FLOAT_EQ(lr[t - 1], static_cast<float>(expected)) << "t = " << t;
  }
}

TEST_F(SnapshotRunTest, EachSnapshotIsTheWeightsAtTheEndOfItsCycle) {
  const fs::path dir = runs_.path() / "snap";
  Trainer trainer(config_, data_, dir);
  std::map<std::size_t, std::vector<float>> at_cycle_end;  // k -> parameters
  std::map<std::size_t, std::vector<float>> buffers_at_cycle_end;
  trainer.on_iteration = [&](const Progress& p) {
    if (p.iteration % 13 == 0) {
      const auto params = trainer.network().params().values();
      const auto buffers = trainer.network().buffers();
      at_cycle_end[p.iteration / 13].assign(params.begin(), params.end());
      buffers_at_cycle_end[p.iteration / 13].assign(buffers.begin(), buffers.end());
    }
    return false;
  };
  ASSERT_EQ(trainer.run().status, RunStatus::Finished);
  ASSERT_EQ(at_cycle_end.size(), 4u);
  std::size_t folders = 0;
  for (const auto& entry : fs::directory_iterator(dir / "snapshots")) folders += entry.is_directory();
  EXPECT_EQ(folders, 4u);
  for (std::size_t k = 1; k <= 4; ++k) {
    const fs::path folder = dir / "snapshots" / std::to_string(k);
    Network saved = load_model(folder / "model.bin");
    const auto p = saved.params().values();
    const auto b = saved.buffers();
    EXPECT_TRUE(std::equal(p.begin(), p.end(), at_cycle_end[k].begin(), at_cycle_end[k].end()))
        << "snapshot " << k;
    EXPECT_TRUE(std::equal(b.begin(), b.end(), buffers_at_cycle_end[k].begin(),
                           buffers_at_cycle_end[k].end()))
        << "snapshot " << k;
    const auto metrics = nlohmann::json::parse(read_file(folder / "metrics.json"));
    EXPECT_EQ(metrics["status"], "finished");
    EXPECT_EQ(metrics["iteration"], 13 * k);
  }
  EXPECT_NE(at_cycle_end[1], at_cycle_end[2]);
  EXPECT_EQ(snapshot_folders(dir, 4).back(), dir / "snapshots" / "4");
}

TEST_F(SnapshotRunTest, ResumedRunWritesTheSameSnapshots) {
  const fs::path whole = runs_.path() / "whole";
  const fs::path stopped = runs_.path() / "stopped";
  run_with_stops(whole, {});
  {
    Trainer first(config_, data_, stopped);
    first.on_iteration = [](const Progress& p) { return p.iteration == 20; };
    ASSERT_EQ(first.run().status, RunStatus::Interrupted);
  }
  // Stopped at update 20: snapshot 1 (update 13) is written, snapshot 2 not yet.
  EXPECT_TRUE(fs::exists(stopped / "snapshots" / "1" / "model.bin"));
  EXPECT_FALSE(fs::exists(stopped / "snapshots" / "2"));
  EXPECT_EQ(read_file(whole / "snapshots" / "1" / "model.bin"),
            read_file(stopped / "snapshots" / "1" / "model.bin"));
  // Resumed, and stopped again right at the end of cycle 3.
  run_with_stops(stopped, {30, 39});
  expect_same_run(whole, stopped);
  for (const char* k : {"1", "2", "3", "4"}) {
    EXPECT_EQ(read_file(whole / "snapshots" / k / "model.bin"),
              read_file(stopped / "snapshots" / k / "model.bin"))
        << "snapshot " << k;
  }
}

TEST_F(SnapshotRunTest, AnExplicitScheduleOrTooManyCyclesIsRefused) {
  config_.schedule.kind = ScheduleKind::step;
  config_.schedule.step_size = 10;
  EXPECT_THROW(Trainer(config_, data_), ConfigError);
  config_.schedule = ScheduleConfig{};
  config_.snapshots = 60;  // 52 updates
  EXPECT_THROW(Trainer(config_, data_), ConfigError);
}

}  // namespace
}  // namespace descent

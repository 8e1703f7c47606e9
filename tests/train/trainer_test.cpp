#include "descent/train/trainer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/train/checkpoint.hpp"
#include "descent/train/model_file.hpp"
#include "train/trainer_fixture.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::TrainerTest;

TEST_F(TrainerTest, LearnsAndRecordsItsHistory) {
  const TrainResult result = Trainer(config_, data_, runs_.path() / "a").run();
  ASSERT_EQ(result.status, RunStatus::Finished);
  EXPECT_EQ(result.iterations, 4u * 13u);
  EXPECT_GT(result.test_accuracy, 0.8);
  const auto history = nlohmann::json::parse(read_file(runs_.path() / "a" / "history.json"));
  EXPECT_EQ(history["loss"].size(), 52u);
  EXPECT_EQ(history["epochs"].size(), 4u);
  double best = 0;
  std::size_t best_epoch = 0;
  for (const auto& e : history["epochs"]) {
    if (e["val_acc"].get<double>() > best) {
      best = e["val_acc"];
      best_epoch = e["epoch"];
    }
  }
  EXPECT_EQ(result.best_epoch, best_epoch);
  EXPECT_DOUBLE_EQ(result.best_val_accuracy, best);
  for (const char* file : {"config.json", "history.csv", "loss.csv", "history.json", "metrics.json",
                           "checkpoint.bin", "model.bin"}) {
    EXPECT_TRUE(fs::exists(runs_.path() / "a" / file)) << file;
  }
}

TEST_F(TrainerTest, TestAccuracyIsThatOfTheBestParameters) {
  Trainer trainer(config_, data_, runs_.path() / "a");
  const TrainResult result = trainer.run();
  Network best = load_model(runs_.path() / "a" / "model.bin");
  const auto eval = best.evaluate(data_.test.features, data_.test.labels);
  EXPECT_EQ(eval.accuracy, result.test_accuracy);
  EXPECT_EQ(eval.loss, result.test_loss);
}

TEST_F(TrainerTest, SameSeedSameNumbersOtherSeedOthers) {
  Trainer(config_, data_, runs_.path() / "a").run();
  Trainer(config_, data_, runs_.path() / "b").run();
  expect_same_run(runs_.path() / "a", runs_.path() / "b");
  config_.seed = 12;
  Trainer(config_, data_, runs_.path() / "c").run();
  EXPECT_NE(read_file(runs_.path() / "a" / "loss.csv"), read_file(runs_.path() / "c" / "loss.csv"));
}

TEST_F(TrainerTest, ResumeBetweenEpochsEqualsAnUninterruptedRun) {
  run_with_stops(runs_.path() / "whole", {});
  const TrainResult resumed = run_with_stops(runs_.path() / "stopped", {26});
  EXPECT_EQ(resumed.status, RunStatus::Finished);
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
}

TEST_F(TrainerTest, ResumeMidEpochEqualsAnUninterruptedRun) {
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {5, 20, 44});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
}

// A killed process leaves its last periodic checkpoint; resuming from it
// continues exactly.
TEST_F(TrainerTest, ResumeFromAPeriodicCheckpointEqualsAnUninterruptedRun) {
  config_.checkpoint_every = 7;
  run_with_stops(runs_.path() / "whole", {});
  const fs::path killed = runs_.path() / "killed";
  {
    Trainer trainer(config_, data_, killed);
    trainer.on_iteration = [&](const Progress& p) {
      if (p.iteration == 36) fs::copy_file(killed / "checkpoint.bin", runs_.path() / "at35.bin");
      return false;
    };
    trainer.run();
  }
  fs::copy_file(runs_.path() / "at35.bin", killed / "checkpoint.bin",
                fs::copy_options::overwrite_existing);
  Trainer resumed(config_, data_, killed);
  resumed.resume(killed / "checkpoint.bin");
  EXPECT_EQ(resumed.run().status, RunStatus::Finished);
  expect_same_run(runs_.path() / "whole", killed);
}

// Optimizer state (Adam's moments) and schedule state (plateau) come back too.
TEST_F(TrainerTest, ResumeWithAStatefulOptimizerAndSchedule) {
  config_.optimizer = "adam";
  config_.learning_rate = 1e-2;
  config_.schedule.kind = ScheduleKind::plateau;
  config_.schedule.mode = PlateauMode::max;
  config_.schedule.patience = 0;
  config_.schedule.factor = 0.5;
  config_.epochs = 5;
  run_with_stops(runs_.path() / "whole", {});
  run_with_stops(runs_.path() / "stopped", {13, 30});
  expect_same_run(runs_.path() / "whole", runs_.path() / "stopped");
}

TEST_F(TrainerTest, LearningRateFollowsTheScheduleByIterationOrEpoch) {
  config_.schedule.kind = ScheduleKind::step;
  config_.schedule.step_size = 2;
  config_.schedule.gamma = 0.5;
  Trainer by_iteration(config_, data_);
  by_iteration.run();
  const auto& lr = by_iteration.history().learning_rate;
  ASSERT_EQ(lr.size(), 52u);
  EXPECT_FLOAT_EQ(lr[0], 0.05f);
  EXPECT_FLOAT_EQ(lr[1], 0.05f);
  EXPECT_FLOAT_EQ(lr[2], 0.025f);
  config_.schedule_per_epoch = true;
  Trainer by_epoch(config_, data_);
  by_epoch.run();
  const auto& per_epoch = by_epoch.history().learning_rate;
  EXPECT_FLOAT_EQ(per_epoch[12], 0.05f);       // epoch 0
  EXPECT_FLOAT_EQ(per_epoch[13 * 2], 0.025f);  // epoch 2
  EXPECT_FLOAT_EQ(per_epoch[51], 0.025f);      // epoch 3
}

TEST_F(TrainerTest, NoDecayOnBiasChangesTheRun) {
  // The groups reach the optimizer: the same run without them differs.
  config_.optimizer_options["weight-decay"] = 0.5;
  config_.no_decay_on_bias = true;
  config_.epochs = 1;
  config_.network.batchnorm = false;
  config_.network.dropout = 0;
  Trainer with_groups(config_, data_);
  EXPECT_NO_THROW(with_groups.run());
  config_.no_decay_on_bias = false;
  Trainer without(config_, data_);
  without.run();
  EXPECT_NE(with_groups.history().loss.back(), without.history().loss.back());
}

TEST_F(TrainerTest, ResumingAFinishedRunReproducesItsResult) {
  const TrainResult first = run_with_stops(runs_.path() / "a", {});
  Trainer again(config_, data_, runs_.path() / "a");
  again.resume(runs_.path() / "a" / "checkpoint.bin");
  const TrainResult second = again.run();
  EXPECT_EQ(second.iterations, first.iterations);
  EXPECT_EQ(second.test_accuracy, first.test_accuracy);
  EXPECT_EQ(second.test_loss, first.test_loss);
}

TEST_F(TrainerTest, CheckpointOfAnotherConfigurationIsRefused) {
  Trainer(config_, data_, runs_.path() / "a").run();
  config_.learning_rate = 0.01;
  Trainer other(config_, data_, runs_.path() / "b");
  EXPECT_THROW(other.resume(runs_.path() / "a" / "checkpoint.bin"), FormatError);
}

// A checkpoint of an older layout (its payload began with the config) or of
// a model file is refused by name, not misread.
TEST_F(TrainerTest, CheckpointOfAnOlderLayoutIsRefused) {
  const fs::path dir = runs_.path() / "a";
  Trainer trainer(config_, data_, dir);
  ByteWriter old;
  old.put_string(to_json(trainer.config()).dump());
  old.put<std::uint64_t>(0);
  write_checkpoint(dir / "old.bin", old.bytes());
  try {
    trainer.resume(dir / "old.bin");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("old.bin"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("older version"), std::string::npos) << e.what();
  }
  save_model(dir / "model.bin", trainer.network());
  EXPECT_THROW(trainer.resume(dir / "model.bin"), FormatError);
}

TEST_F(TrainerTest, CorruptOrTruncatedCheckpointsAreClearErrors) {
  const fs::path dir = runs_.path() / "a";
  Trainer(config_, data_, dir).run();
  std::string bytes = read_file(dir / "checkpoint.bin");
  Trainer trainer(config_, data_, runs_.path() / "b");

  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x40;
  write_file_atomic(dir / "flipped.bin", flipped);
  try {
    trainer.resume(dir / "flipped.bin");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("flipped.bin"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos);
  }
  write_file_atomic(dir / "short.bin", bytes.substr(0, bytes.size() - 100));
  EXPECT_THROW(trainer.resume(dir / "short.bin"), FormatError);
  write_file_atomic(dir / "tiny.bin", bytes.substr(0, 5));
  EXPECT_THROW(trainer.resume(dir / "tiny.bin"), FormatError);
  write_file_atomic(dir / "other.bin", "PK\x03\x04 not a checkpoint at all, but long enough");
  EXPECT_THROW(trainer.resume(dir / "other.bin"), FormatError);
  EXPECT_THROW(trainer.resume(dir / "missing.bin"), IoError);
}

TEST_F(TrainerTest, DivergenceIsAResultNotACrash) {
  config_.learning_rate = 1e6;
  config_.network.batchnorm = false;
  const fs::path dir = runs_.path() / "a";
  const TrainResult result = Trainer(config_, data_, dir).run();
  EXPECT_EQ(result.status, RunStatus::Diverged);
  EXPECT_NE(result.message.find("diverged"), std::string::npos);
  const auto metrics = nlohmann::json::parse(read_file(dir / "metrics.json"));
  EXPECT_EQ(metrics["status"], "diverged");
}

TEST_F(TrainerTest, BadConfigurationsNameTheField) {
  config_.batch_size = 0;
  try {
    Trainer trainer(config_, data_);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("batch-size"), std::string::npos);
  }
  config_.batch_size = 10;
  config_.learning_rate = -1;
  EXPECT_THROW(Trainer(config_, data_), ConfigError);
  config_.learning_rate = 0.1;
  config_.network.input_dim = 5;
  EXPECT_THROW(Trainer(config_, data_), ShapeError);
}

TEST(Checkpoint, RoundTripsItsPayload) {
  testing::TempDir dir;
  const std::string payload = std::string("abc\0def", 7);
  write_checkpoint(dir.path() / "c.bin", payload);
  EXPECT_EQ(read_checkpoint(dir.path() / "c.bin"), payload);
}

}  // namespace
}  // namespace descent

// `descent train` with --ema, --swa-start and --snapshots as a user runs it:
// the files these add to a run folder, config.json fed back with --config,
// a killed snapshot run resumed to the same snapshots, and bad flags as one
// line naming the flag.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/json_file.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

class TrainAveragingTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 700, 200); }

  Outcome run(const std::string& args) { return testing::run_descent(args, work_.path()); }

  std::string settings() const {
    return " --data-dir " + data_.path().string() +
           " --validation-size 100 --hidden 20 --epochs 4 --batch-size 20 --lr 0.05 --quiet";
  }

  // `descent train --config DIR/config.json` writes the same config.json;
  // returns the new run's folder.
  fs::path expect_config_round_trips(const fs::path& dir) {
    const fs::path again = dir.string() + "-again";
    const Outcome o =
        run("train --config " + (dir / "config.json").string() + " --quiet --out " + again.string());
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(read_file(dir / "config.json"), read_file(again / "config.json"));
    return again;
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(TrainAveragingTest, EmaWritesTheAveragedModelAndItsScores) {
  const fs::path dir = work_.path() / "ema";
  const Outcome o = run("train" + settings() + " --ema 0.99 --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("averaged weights (ema): test accuracy"), std::string::npos) << o.out;
  EXPECT_TRUE(fs::exists(dir / "model_ema.bin"));
  const auto metrics = read_json_file(dir / "metrics.json");
  EXPECT_EQ(metrics["averaged_model"], "model_ema.bin");
  EXPECT_GT(metrics["averaged_test_acc"].get<double>(), 0.5);
  EXPECT_EQ(read_json_file(dir / "config.json")["ema"], 0.99);

  const fs::path again = expect_config_round_trips(dir);
  EXPECT_EQ(read_json_file(again / "metrics.json")["averaged_test_acc"], metrics["averaged_test_acc"]);
}

TEST_F(TrainAveragingTest, SwaConfigRoundTripsThroughConfigJson) {
  const fs::path dir = work_.path() / "swa";
  ASSERT_EQ(
      run("train" + settings() + " --swa-start 3 --swa-lr 0.02 --out " + dir.string()).exit_code,
      0);
  const auto config = read_json_file(dir / "config.json");
  EXPECT_EQ(config["swa-start"], 3);
  EXPECT_EQ(config["swa-lr"], 0.02);
  EXPECT_TRUE(fs::exists(dir / "model_swa.bin"));
  expect_config_round_trips(dir);
}

// A run killed with SIGKILL after its first snapshot keeps it, and resumes to
// the snapshots of a run never stopped.
TEST_F(TrainAveragingTest, KilledSnapshotRunResumesToTheSameSnapshots) {
  const std::string snapshot_run = " --data-dir " + data_.path().string() +
                                   " --validation-size 100 --hidden 64,64 --epochs 30 "
                                   "--batch-size 10 --snapshots 3 --checkpoint-every 5 --quiet";
  const fs::path whole = work_.path() / "whole";
  const Outcome o = run("train" + snapshot_run + " --out " + whole.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("3 snapshots"), std::string::npos) << o.out;
  const LoadedEnsemble loaded = load_ensemble(whole / "snapshots" / "ensemble.json");
  EXPECT_EQ(loaded.ensemble.size(), 3u);

  const fs::path killed = work_.path() / "killed";
  const pid_t pid = testing::start_descent("train" + snapshot_run + " --out " + killed.string());
  ASSERT_GT(pid, 0);
  const int status =
      testing::signal_when_exists(pid, killed / "snapshots" / "1" / "metrics.json", SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";
  ASSERT_FALSE(fs::exists(killed / "metrics.json"));
  ASSERT_FALSE(fs::exists(killed / "snapshots" / "3"));
  const Outcome resumed = run("train --resume " + killed.string() + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  for (const char* k : {"1", "2", "3"}) {
    EXPECT_EQ(read_file(whole / "snapshots" / k / "model.bin"),
              read_file(killed / "snapshots" / k / "model.bin"))
        << "snapshot " << k;
  }
  EXPECT_EQ(read_file(whole / "snapshots" / "ensemble.json"),
            read_file(killed / "snapshots" / "ensemble.json"));
}

TEST_F(TrainAveragingTest, BadAveragingAndSnapshotFlagsAreOneLineErrors) {
  const std::string base = "train" + settings() + " ";
  expect_one_line_error(run(base + "--ema 1.5"), "ema");
  expect_one_line_error(run(base + "--ema 0"), "ema");
  expect_one_line_error(run(base + "--swa-start 0"), "swa-start");
  expect_one_line_error(run(base + "--swa-start 5"), "swa-start");  // of 4 epochs
  expect_one_line_error(run(base + "--ema 0.99 --swa-start 2"), "--swa-start");
  expect_one_line_error(run(base + "--swa-lr 0.01"), "swa-lr");
  expect_one_line_error(run(base + "--swa-start 2 --swa-lr -1"), "swa-lr");
  expect_one_line_error(run(base + "--snapshots 0"), "snapshots");
  expect_one_line_error(run(base + "--snapshots 3 --schedule step --step-size 10"), "--schedule");
  expect_one_line_error(run(base + "--snapshots 3 --swa-start 2 --swa-lr 0.01"), "--swa-lr");
  expect_one_line_error(run(base + "--snapshots 1000"), "snapshots");  // 120 updates
}

}  // namespace
}  // namespace descent

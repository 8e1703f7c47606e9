// Downpour SGD under mpirun: servers and workers finish, every pushed gradient
// is applied once and its staleness recorded, and the model learns.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "descent/core/atomic_file.hpp"
#include "distributed/mpi_run.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

class DownpourTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 460, 100); }

  // 400 training rows: 200 per worker of two, 10 batches of 20 per epoch.
  nlohmann::json run(std::size_t processes, const std::string& flags) {
    const fs::path out = work_.path() / "run";
    fs::remove_all(out);
    const auto outcome = testing::run_mpi(
        processes,
        "downpour --data-dir " + data_.path().string() +
            " --validation-size 60 --hidden 32 --epochs 3 --batch-size 20 --optimizer adagrad"
            " --lr 0.05 --threads 1 --out " + out.string() + " " + flags,
        work_.path());
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    return nlohmann::json::parse(read_file(out / "metrics.json"));
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(DownpourTest, OneServerTwoWorkersApplyEveryGradientAndLearn) {
  const auto metrics = run(3, "--servers 1");
  EXPECT_EQ(metrics["gradients"], 2 * 3 * 10);
  EXPECT_GE(metrics["staleness_mean"].get<double>(), 0.0);
  EXPECT_GE(metrics["staleness_max"].get<double>(), metrics["staleness_mean"].get<double>());
  EXPECT_GT(metrics["test_acc"].get<double>(), 0.8);
}

TEST_F(DownpourTest, TwoServersAndSummedPushes) {
  // 30 steps per worker, a push every 4 and one after the last: 8 per worker,
  // each applied by both servers.
  const auto metrics = run(4, "--servers 2 --n-fetch 3 --n-push 4");
  EXPECT_EQ(metrics["gradients"], 2 * 2 * 8);
  EXPECT_GT(metrics["test_acc"].get<double>(), 0.5);
}

// The run folder is an ordinary one: the standard metrics, a history of one
// record per epoch, and a model that descent evaluate takes.
TEST_F(DownpourTest, WritesAnOrdinaryRunFolder) {
  const auto metrics = run(3, "--servers 1");
  EXPECT_EQ(metrics["status"], "finished");
  EXPECT_EQ(metrics["method"], "downpour");
  EXPECT_EQ(metrics["epochs"], 3);
  EXPECT_EQ(metrics["iterations"], 3 * 10);  // an iteration: one step of every worker
  EXPECT_NEAR(metrics["passes"].get<double>(), 3.0, 1e-12);
  const fs::path out = work_.path() / "run";
  const auto history = nlohmann::json::parse(read_file(out / "history.json"));
  ASSERT_EQ(history["epochs"].size(), 3u);
  EXPECT_EQ(history["loss"].size(), 30u);
  EXPECT_EQ(history["epochs"][2]["val_acc"], metrics["final_val_acc"]);
  const auto evaluated = testing::run_descent("evaluate " + out.string() + " --data-dir " +
                                                  data_.path().string() + " --validation-size 60",
                                              work_.path());
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const std::size_t at = evaluated.out.find("accuracy ");
  ASSERT_NE(at, std::string::npos) << evaluated.out;
  EXPECT_DOUBLE_EQ(std::stod(evaluated.out.substr(at + 9)), metrics["test_acc"].get<double>());
}

// With one worker the order of messages is fixed: a run killed after its
// first checkpoint and resumed equals an uninterrupted one, bit for bit.
TEST_F(DownpourTest, AKilledRunResumesFromItsCheckpointBitForBit) {
  const std::string args = "downpour --data-dir " + data_.path().string() +
                           " --validation-size 60 --hidden 32 --epochs 8 --batch-size 20"
                           " --optimizer adagrad --lr 0.05 --threads 1 --servers 1 --n-fetch 2"
                           " --n-push 3 --out ";
  const fs::path whole = work_.path() / "whole";
  const auto uninterrupted = testing::run_mpi(2, args + whole.string(), work_.path());
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.err;

  const fs::path killed = work_.path() / "killed";
  const pid_t job = testing::start_mpi(2, args + killed.string(), work_.path() / "killed.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(killed / "checkpoint.bin") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto processes = testing::child_processes(job);
  ASSERT_EQ(processes.size(), 2u);
  kill(processes.back(), SIGKILL);
  int status = 0;
  waitpid(job, &status, 0);
  ASSERT_FALSE(fs::exists(killed / "metrics.json")) << "the run ended before the kill";

  const auto resumed = testing::run_mpi(
      2, "downpour --servers 1 --n-fetch 2 --n-push 3 --resume " + killed.string(), work_.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(testing::max_parameter_difference(whole, killed), 0.0f);
  EXPECT_EQ(read_file(whole / "loss.csv"), read_file(killed / "loss.csv"));

  // Another layout than the checkpoint's is refused, naming it.
  const auto other = testing::run_mpi(3, "downpour --servers 1 --resume " + whole.string(),
                                      work_.path());
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.err.find("1 servers and 1 workers"), std::string::npos) << other.err;
}

TEST_F(DownpourTest, ServersMustLeaveWorkers) {
  const auto outcome = testing::run_mpi(
      2, "downpour --data-dir " + data_.path().string() + " --servers 2", work_.path());
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.err.find("servers: expected at least 1 and fewer than the 2 processes"),
            std::string::npos)
      << outcome.err;
}

// Each worker shuffles its own shard: the trainer's batch-order flags would
// silently do nothing, so they are refused.
TEST_F(DownpourTest, RefusesTheTrainersBatchOrderFlags) {
  for (const std::string flag : {"drop-last", "shuffle-once"}) {
    const auto outcome = testing::run_mpi(
        2, "downpour --data-dir " + data_.path().string() + " --" + flag, work_.path());
    EXPECT_NE(outcome.exit_code, 0);
    EXPECT_NE(outcome.err.find(flag + ": not available with downpour"), std::string::npos)
        << outcome.err;
  }
}

}  // namespace
}  // namespace descent

// A process of a distributed run that dies ends the job within seconds, not a
// hang; the last checkpoint is intact and resumes on another number of
// processes, to the run one process makes uninterrupted.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "descent/core/atomic_file.hpp"
#include "distributed/mpi_run.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Waits up to `limit` for `pid` to exit; its wait status, or -1 if it is still running.
int wait_for_exit(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  int status = 0;
  while (Clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

TEST(DistributedFailureTest, KilledProcessEndsTheJobAndTheCheckpointResumes) {
  testing::TempDir data;
  testing::TempDir work;
  testing::write_synthetic_idx(data.path(), 1100, 100);
  // 100 iterations of batch 10 per epoch, a checkpoint every 10.
  const std::string args = "train --quiet --data-dir " + data.path().string() +
                           " --validation-size 100 --hidden 64,64 --epochs 2 --batch-size 10"
                           " --optimizer momentum --lr 0.02 --threads 1 --checkpoint-every 10 --out ";
  const fs::path killed = work.path() / "killed";
  const pid_t job = testing::start_mpi(2, args + killed.string() + " --distributed",
                                       work.path() / "killed.err");
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (!fs::exists(killed / "checkpoint.bin") && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto processes = testing::child_processes(job);
  ASSERT_EQ(processes.size(), 2u);
  kill(processes.back(), SIGKILL);
  const auto killed_at = Clock::now();
  const int status = wait_for_exit(job, std::chrono::seconds(10));
  ASSERT_NE(status, -1) << "the job still runs 10 s after one of its processes died";
  EXPECT_LT(Clock::now() - killed_at, std::chrono::seconds(5));
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_FALSE(fs::exists(killed / "metrics.json")) << "the run ended before the kill";

  const auto resumed =
      testing::run_mpi(3, "train --quiet --distributed --resume " + killed.string(), work.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const fs::path single = work.path() / "single";
  const auto reference = testing::run_descent(args + single.string(), work.path());
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_LE(testing::max_parameter_difference(single, killed), 1e-4f);
}

}  // namespace
}  // namespace descent

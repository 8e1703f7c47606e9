// Downpour SGD under mpirun: servers and workers finish, every pushed gradient
// is applied once and its staleness recorded, and the model learns.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "distributed/mpi_run.hpp"
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

TEST_F(DownpourTest, ServersMustLeaveWorkers) {
  const auto outcome = testing::run_mpi(
      2, "downpour --data-dir " + data_.path().string() + " --servers 2", work_.path());
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.err.find("servers: expected at least 1 and fewer than the 2 processes"),
            std::string::npos)
      << outcome.err;
}

}  // namespace
}  // namespace descent

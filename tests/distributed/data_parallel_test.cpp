// Synchronous data parallelism against one process: the same global batches,
// so the same run up to the order of float sums, on 1, 2 and 3 processes
// (3 splits the batches unevenly); and L-BFGS over shards (Sandblaster).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "distributed/mpi_run.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

std::vector<double> losses(const fs::path& run) {
  std::istringstream csv(read_file(run / "loss.csv"));
  std::string line;
  std::getline(csv, line);  // header
  std::vector<double> values;
  while (std::getline(csv, line)) values.push_back(std::stod(line.substr(line.find(',') + 1)));
  return values;
}

class DataParallelTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 460, 100); }

  // One epoch of 13 batches, the last of 16 rows (5, 5 and 6 on 3 processes):
  // with one epoch, model.bin holds the final parameters.
  std::string run_args(const fs::path& out) const {
    return "train --quiet --data-dir " + data_.path().string() +
           " --validation-size 60 --hidden 32,16 --reg 1e-3 --epochs 1 --batch-size 32"
           " --optimizer adam --lr 0.01 --threads 1 --out " +
           out.string();
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(DataParallelTest, EqualsOneProcessOnOneTwoAndThreeProcesses) {
  const fs::path single = work_.path() / "single";
  const auto one = testing::run_descent(run_args(single), work_.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto reference = losses(single);
  ASSERT_EQ(reference.size(), 13u);
  for (std::size_t processes : {1, 2, 3}) {
    SCOPED_TRACE(std::to_string(processes) + " processes");
    const fs::path run = work_.path() / ("np" + std::to_string(processes));
    const auto outcome = testing::run_mpi(processes, run_args(run) + " --distributed", work_.path());
    ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
    const auto curve = losses(run);
    ASSERT_EQ(curve.size(), reference.size());
    for (std::size_t i = 0; i < curve.size(); ++i) EXPECT_NEAR(curve[i], reference[i], 1e-5);
    // One process sums nothing: the same bits as without MPI.
    const float tolerance = processes == 1 ? 0.0f : 1e-5f;
    EXPECT_LE(testing::max_parameter_difference(single, run), tolerance);
  }
}

// Sandblaster L-BFGS through `descent train`: each process evaluates its share
// of the whole training set, full batch or large batches, and every process
// runs the same L-BFGS iterations on the summed loss and gradient.
TEST_F(DataParallelTest, LbfgsOnSeveralProcessesEqualsOneProcess) {
  for (const char* batch : {"0", "150"}) {
    SCOPED_TRACE(std::string("batch size ") + batch);
    const std::string args = "train --quiet --data-dir " + data_.path().string() +
                             " --validation-size 60 --hidden 0 --reg 1e-3 --epochs 15"
                             " --optimizer lbfgs --threads 1 --batch-size " + batch;
    const fs::path single = work_.path() / ("lbfgs-single-" + std::string(batch));
    const auto one = testing::run_descent(args + " --out " + single.string(), work_.path());
    ASSERT_EQ(one.exit_code, 0) << one.err;
    const auto reference = losses(single);
    ASSERT_GT(reference.size(), 5u);
    const fs::path run = work_.path() / ("lbfgs-np3-" + std::string(batch));
    const auto outcome =
        testing::run_mpi(3, args + " --distributed --out " + run.string(), work_.path());
    ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
    const auto curve = losses(run);
    ASSERT_EQ(curve.size(), reference.size());
    for (std::size_t i = 0; i < curve.size(); ++i) EXPECT_NEAR(curve[i], reference[i], 1e-5);
    EXPECT_LE(testing::max_parameter_difference(single, run), 1e-4f);
  }
}

TEST_F(DataParallelTest, OnlyTheFirstProcessWritesAndPrints) {
  const fs::path run = work_.path() / "run";
  const auto outcome = testing::run_mpi(2, run_args(run) + " --distributed", work_.path());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(std::count(outcome.out.begin(), outcome.out.end(), '\n'), 2) << outcome.out;
  EXPECT_TRUE(fs::exists(run / "metrics.json"));
}

}  // namespace
}  // namespace descent

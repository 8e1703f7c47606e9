// descent compare --distributed: the processes of an MPI job share a sweep's
// runs, waves included (the notes' experiment takes later groups' rates from
// earlier groups' best runs), and the sweep equals one process's.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "descent/core/json_file.hpp"
#include "distributed/mpi_run.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

// summary.json without the wall times (a run's and its time to target's).
nlohmann::json results(const fs::path& sweep) {
  nlohmann::json rows = read_json_file(sweep / "summary.json");
  for (auto& row : rows) {
    row.erase("seconds");
    row.erase("seconds_to_target");
  }
  return rows;
}

TEST(DistributedCompareTest, ProcessesShareTheRunsOfOneSweep) {
  testing::TempDir data;
  testing::TempDir work;
  testing::write_synthetic_idx(data.path(), 460, 100);
  const std::string args = "compare --quick --train-size 300 --epochs 1 --hidden 16 --jobs 1 "
                           "--validation-size 60 --data-dir " +
                           data.path().string();
  const fs::path single = work.path() / "single";
  const auto one = testing::run_descent(args + " -q --out " + single.string(), work.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const fs::path shared = work.path() / "shared";
  const auto three =
      testing::run_mpi(3, args + " --distributed --out " + shared.string(), work.path());
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(results(shared), results(single));
  EXPECT_TRUE(fs::exists(shared / "report.html"));
  // The first process alone prints the tables.
  const std::string tail = " runs, ";
  std::size_t count = 0;
  for (std::size_t at = three.out.find(tail); at != std::string::npos;
       at = three.out.find(tail, at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << three.out;
  EXPECT_NE(three.err.find("on each of 3 processes"), std::string::npos) << three.err;

  testing::expect_one_line_error(testing::run_descent("compare --distributed --quick", work.path()),
                                 "--out");
}

}  // namespace
}  // namespace descent

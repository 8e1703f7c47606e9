// `descent report DIR...` as a user runs it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>

#include "descent/core/atomic_file.hpp"
#include "support/run_descent.hpp"
#include "support/sweep_fixture.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

class ReportCommandTest : public ::testing::Test {
 protected:
  // Runs `descent <args>` in the work folder.
  Outcome run(const std::string& args) {
    return testing::run_descent(args, dir_.path(), dir_.path());
  }

  testing::TempDir dir_;
};

TEST_F(ReportCommandTest, WritesTheReportIntoTheSweepAndPrintsItsPath) {
  testing::write_fabricated_sweep(dir_.path() / "sweep");
  const Outcome o = run("report sweep");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "sweep/report.html\n");
  EXPECT_TRUE(fs::exists(dir_.path() / "sweep" / "report.html"));
  EXPECT_TRUE(fs::exists(dir_.path() / "sweep" / "figures" / "lr-sweep-lr.svg"));
}

TEST_F(ReportCommandTest, CombinesSweepsIntoTheOutFolder) {
  testing::write_fabricated_sweep(dir_.path() / "one", "one", "First");
  testing::write_fabricated_sweep(dir_.path() / "two", "two", "Second");
  const Outcome o = run("report one two --out both");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "both/report.html\n");
  const std::string html = read_file(dir_.path() / "both" / "report.html");
  EXPECT_NE(html.find("chart-one-lr-sweep-lr"), std::string::npos);
  EXPECT_NE(html.find("chart-two-lr-sweep-lr"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_.path() / "one" / "report.html"));
}

TEST_F(ReportCommandTest, CombinedReportWithoutOutGetsAFolderOfItsOwn) {
  testing::write_fabricated_sweep(dir_.path() / "one", "one", "First");
  testing::write_fabricated_sweep(dir_.path() / "two", "two", "Second");
  const Outcome o = run("report one two");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out.rfind("report-", 0), 0u) << o.out;
  const std::string path = o.out.substr(0, o.out.size() - 1);
  EXPECT_TRUE(fs::exists(dir_.path() / path)) << path;
}

TEST_F(ReportCommandTest, ErrorsAreOneLine) {
  testing::write_fabricated_sweep(dir_.path() / "sweep");
  write_file_atomic(dir_.path() / "sweep" / "summary.json", "[1, 2");
  const Outcome corrupt = run("report sweep");
  EXPECT_EQ(corrupt.exit_code, 1);
  EXPECT_NE(corrupt.err.find("summary.json"), std::string::npos) << corrupt.err;
  EXPECT_EQ(std::count(corrupt.err.begin(), corrupt.err.end(), '\n'), 1) << corrupt.err;

  const Outcome missing = run("report no-such-sweep");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("no-such-sweep"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;

  const Outcome none = run("report");
  EXPECT_NE(none.exit_code, 0);
}

}  // namespace
}  // namespace descent

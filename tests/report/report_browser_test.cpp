// report.html in a real browser: headless Chromium opens the page offline,
// the page draws its charts and records on <body> how many it drew, how many
// stayed blank and what errors it saw; the test reads that back from the
// dumped DOM and keeps a screenshot in the build tree.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <regex>

#include "descent/core/atomic_file.hpp"
#include "descent/report/report.hpp"
#include "support/sweep_fixture.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

fs::path chromium() {
  const char* path = std::getenv("DESCENT_CHROMIUM");
  return path != nullptr && *path != '\0' ? fs::path(path) : fs::path("/usr/bin/chromium");
}

struct Browser {
  int exit_code;
  std::string out;
};

// Runs headless Chromium on the page with `mode` (--dump-dom or --screenshot=...).
// Its stderr is noise about the missing display, GPU and D-Bus: kept apart.
Browser run_chromium(const fs::path& page, const std::string& mode, const fs::path& work) {
  const fs::path profile = work / "profile";
  fs::remove_all(profile);
  fs::create_directories(profile);
  const fs::path out = work / "chromium.out";
  const std::string command =
      "timeout 60 " + chromium().string() +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --user-data-dir=" +
      profile.string() + " --virtual-time-budget=10000 " + mode + " 'file://" + page.string() +
      "' >" + out.string() + " 2>" + (work / "chromium.err").string() + " </dev/null";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out)};
}

// The value of data-<name> on <body> in the dumped DOM; "<absent>" if none.
std::string body_data(const std::string& dom, const std::string& name) {
  std::smatch body;
  if (!std::regex_search(dom, body, std::regex("<body[^>]*>"))) return "<absent>";
  const std::string tag = body.str();
  std::smatch value;
  if (!std::regex_search(tag, value, std::regex("data-" + name + "=\"([^\"]*)\""))) {
    return "<absent>";
  }
  return value[1].str();
}

class ReportBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(chromium()))
        << "Chromium not found at " << chromium()
        << ": run scripts/setup.sh (Debian's chromium package), or set DESCENT_CHROMIUM";
  }
  testing::TempDir dir_;
};

TEST_F(ReportBrowserTest, EveryChartIsDrawnWithoutErrors) {
  testing::write_fabricated_sweep(dir_.path() / "sweep");
  const fs::path page = write_report({dir_.path() / "sweep"}, dir_.path() / "sweep");

  const Browser dump = run_chromium(page, "--dump-dom", dir_.path());
  ASSERT_EQ(dump.exit_code, 0) << read_file(dir_.path() / "chromium.err");
  ASSERT_NE(dump.out.find("<body"), std::string::npos) << dump.out.substr(0, 2000);
  const std::string expected = std::to_string(testing::page_canvases(1));
  EXPECT_EQ(body_data(dump.out, "charts-expected"), expected);
  EXPECT_EQ(body_data(dump.out, "charts-drawn"), expected);
  EXPECT_EQ(body_data(dump.out, "charts-blank"), "0");
  EXPECT_EQ(body_data(dump.out, "errors"), "");
  // The page times itself (a figure for benchmarks, not a bound here).
  const std::string render_ms = body_data(dump.out, "render-ms");
  ASSERT_FALSE(render_ms.empty());
  EXPECT_GT(std::stod(render_ms), 0.0);

  const fs::path artifacts = DESCENT_ARTIFACTS_DIR;
  fs::create_directories(artifacts);
  const fs::path screenshot = artifacts / "report.png";
  fs::remove(screenshot);
  const Browser shot = run_chromium(
      page, "--screenshot=" + screenshot.string() + " --window-size=1280,2400", dir_.path());
  ASSERT_EQ(shot.exit_code, 0) << read_file(dir_.path() / "chromium.err");
  ASSERT_TRUE(fs::exists(screenshot));
  EXPECT_EQ(read_file(screenshot).substr(1, 3), "PNG");
  // A page of charts compresses far less than a blank one (a few kB).
  EXPECT_GT(fs::file_size(screenshot), 100'000u);
}

// The run table's filter, filled in from the address: only the rows that
// have every word stay shown.
TEST_F(ReportBrowserTest, TheRunTableKeepsTheRowsWithEveryWordOfTheFilter) {
  testing::write_fabricated_sweep(dir_.path() / "sweep");
  const fs::path page = write_report({dir_.path() / "sweep"}, dir_.path() / "sweep");

  const Browser all = run_chromium(page, "--dump-dom", dir_.path());
  ASSERT_EQ(all.exit_code, 0) << read_file(dir_.path() / "chromium.err");
  EXPECT_EQ(body_data(all.out, "runs-shown"), "10");

  const Browser filtered =
      run_chromium(page.string() + "#filter=ADAM+diverged", "--dump-dom", dir_.path());
  ASSERT_EQ(filtered.exit_code, 0) << read_file(dir_.path() / "chromium.err");
  EXPECT_EQ(body_data(filtered.out, "runs-shown"), "1");
  EXPECT_EQ(body_data(filtered.out, "errors"), "");
  const auto hidden_rows = [](const std::string& dom) {
    std::ptrdiff_t count = 0;
    for (std::size_t at = dom.find("<tr hidden"); at != std::string::npos;
         at = dom.find("<tr hidden", at + 1)) {
      ++count;
    }
    return count;
  };
  EXPECT_EQ(hidden_rows(filtered.out), 9);
  EXPECT_EQ(hidden_rows(all.out), 0);
}

// chart_page, the page of descent ensemble: any figures, drawn the same way.
TEST_F(ReportBrowserTest, AChartPageDrawsItsFigures) {
  Figure figure;
  figure.id = "size";
  figure.title = "Test accuracy against ensemble size";
  figure.x_label = "members";
  figure.y_label = "test accuracy (%)";
  Series line;
  line.label = "ensemble";
  line.x = {1, 2, 3};
  line.y = {80, 82, 83};
  Series points = line;
  points.label = "member k alone";
  points.style = SeriesStyle::points;
  points.y = {80, 79.5, 81};
  figure.series = {line, points};
  const fs::path page = dir_.path() / "page.html";
  write_file_atomic(page, chart_page("A page", "<h1>A page</h1>" + chart_canvases({figure}),
                                     {figure}, read_file(chartjs_path())));

  const Browser dump = run_chromium(page, "--dump-dom", dir_.path());
  ASSERT_EQ(dump.exit_code, 0) << read_file(dir_.path() / "chromium.err");
  EXPECT_EQ(body_data(dump.out, "charts-expected"), "1");
  EXPECT_EQ(body_data(dump.out, "charts-drawn"), "1");
  EXPECT_EQ(body_data(dump.out, "charts-blank"), "0");
  EXPECT_EQ(body_data(dump.out, "errors"), "");
}

TEST_F(ReportBrowserTest, BrokenScriptIsReportedByThePage) {
  testing::write_fabricated_sweep(dir_.path() / "sweep");
  // A Chart.js that throws: the page must say so rather than look fine.
  const fs::path broken = dir_.path() / "broken-chart.js";
  write_file_atomic(broken, "throw new Error('broken chart library');");
  setenv("DESCENT_CHARTJS", broken.c_str(), 1);
  const fs::path page = write_report({dir_.path() / "sweep"}, dir_.path() / "sweep");
  unsetenv("DESCENT_CHARTJS");

  const Browser dump = run_chromium(page, "--dump-dom", dir_.path());
  ASSERT_EQ(dump.exit_code, 0) << read_file(dir_.path() / "chromium.err");
  EXPECT_NE(body_data(dump.out, "errors").find("broken chart library"), std::string::npos)
      << body_data(dump.out, "errors");
  EXPECT_NE(body_data(dump.out, "charts-drawn"), std::to_string(testing::page_canvases(1)));
}

}  // namespace
}  // namespace descent

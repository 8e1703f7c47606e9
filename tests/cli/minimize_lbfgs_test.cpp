// `descent minimize --optimizer lbfgs|cg`: the line-search methods from the
// command line, their report, trace and plot, and their flags' errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "descent/core/atomic_file.hpp"
#include "descent/experiment/figure.hpp"
#include "support/png_image.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

class MinimizeLbfgsTest : public ::testing::Test {
 protected:
  Outcome run(const std::string& args) { return testing::run_descent(args, work_.path()); }
  fs::path file(const std::string& name) const { return work_.path() / name; }

  testing::TempDir work_;
};

// The number just before `label` in `text` ("34 iterations" -> 34).
double number_before(const std::string& text, const std::string& label) {
  const auto at = text.find(" " + label);
  if (at == std::string::npos) return -1;
  const auto begin = text.rfind(' ', at - 1) + 1;
  return std::stod(text.substr(begin, at - begin));
}

// The number just after `label` in `text` ("distance to the minimizer: 1e-06").
double number_after(const std::string& text, const std::string& label) {
  const auto at = text.find(label);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + label.size()));
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

TEST_F(MinimizeLbfgsTest, LbfgsAndCgReportTheirRunAndReachTheMinimizer) {
  for (const std::string method : {"lbfgs", "cg"}) {
    for (const std::string function : {"--function rosenbrock",
                                       "--function extended_rosenbrock --dim 100"}) {
      const std::string args = "minimize --optimizer " + method + " " + function;
      const Outcome o = run(args);
      ASSERT_EQ(o.exit_code, 0) << args << "\n" << o.err;
      EXPECT_EQ(o.err, "") << args;
      EXPECT_NE(o.out.find("stopped by gradient: gradient norm"), std::string::npos) << o.out;
      const double iterations = number_before(o.out, "iterations,");
      const double evaluations = number_before(o.out, "evaluations");
      EXPECT_GT(iterations, 10) << o.out;
      EXPECT_GE(evaluations, iterations + 1) << o.out;
      EXPECT_LT(number_after(o.out, "\nf = "), 1e-9) << o.out;
      const double distance = number_after(o.out, "distance to the minimizer: ");
      EXPECT_GE(distance, 0) << o.out;
      EXPECT_LT(distance, 1e-4) << o.out;
    }
  }
}

TEST_F(MinimizeLbfgsTest, TraceHasTheStartAndOneRowPerIteration) {
  for (const std::string method : {"lbfgs", "cg"}) {
    const fs::path trace = file(method + ".csv");
    const Outcome o = run("minimize --optimizer " + method +
                          " --function extended_rosenbrock --dim 4 --trace " + trace.string());
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const auto rows = csv_rows(read_file(trace));
    ASSERT_GE(rows.size(), 3u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"iteration", "evaluations", "f", "gradient_norm",
                                                 "step", "x0", "x1", "x2", "x3"}));
    const double iterations = number_before(o.out, "iterations,");
    EXPECT_EQ(rows.size(), static_cast<std::size_t>(iterations) + 2) << method;  // header, start
    EXPECT_EQ(rows.back()[1], std::to_string(static_cast<int>(number_before(o.out, "evaluations"))));
    EXPECT_EQ(rows[1][1], "1");  // the start's evaluation
    for (std::size_t r = 1; r < rows.size(); ++r) {
      ASSERT_EQ(rows[r].size(), 9u);
      EXPECT_EQ(rows[r][0], std::to_string(r - 1));
      if (r > 1) {
        EXPECT_GT(std::stoi(rows[r][1]), std::stoi(rows[r - 1][1])) << method << " row " << r;
        EXPECT_LT(std::stod(rows[r][2]), std::stod(rows[r - 1][2])) << method << " row " << r;
      }
    }
  }
}

TEST_F(MinimizeLbfgsTest, PlotDrawsTheLineSearchPathsInTheirOwnColours) {
  const fs::path png = file("paths.png");
  const Outcome o = run("minimize --function rosenbrock --optimizer momentum --lr 1e-3 "
                        "--steps 300 --compare cg,adam,lbfgs --plot " + png.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const testing::Image image = testing::decode_png(png);
  EXPECT_EQ(image.width, 800u);
  for (const char* optimizer : {"momentum", "adam", "lbfgs", "cg"}) {
    EXPECT_GT(testing::pixels_of(image, optimizer_color(optimizer)), 100u) << optimizer;
  }
}

TEST_F(MinimizeLbfgsTest, LineSearchMethodsHaveColoursOfTheirOwn) {
  const std::string lbfgs = optimizer_color("lbfgs"), cg = optimizer_color("cg");
  EXPECT_NE(lbfgs, cg);
  for (const std::string& other : {optimizer_color("no such optimizer"), optimizer_color("sgd"),
                                   optimizer_color("momentum"), optimizer_color("adam"),
                                   optimizer_color("rmsprop"), optimizer_color("nesterov")}) {
    EXPECT_NE(lbfgs, other);
    EXPECT_NE(cg, other);
  }
}

TEST_F(MinimizeLbfgsTest, BadFlagsAreOneLineErrorsNamingThem) {
  expect_one_line_error(run("minimize --optimizer lbfgs --history 0"), "history");
  expect_one_line_error(run("minimize --optimizer lbfgs --start=nan,1"), "start");
  expect_one_line_error(run("minimize --optimizer cg --start=1,2,3"), "start");
  expect_one_line_error(run("minimize --optimizer lbfgs --line-search wolfe"), "line-search");
  expect_one_line_error(run("minimize --optimizer cg --c1 0.7"), "c1");
  expect_one_line_error(run("minimize --optimizer lbfgs --c2 1.5"), "c2");
  expect_one_line_error(run("minimize --optimizer lbfgs --lr 0.1"), "--lr");
  expect_one_line_error(run("minimize --optimizer cg --max-evaluations 1"), "max-evaluations");
  expect_one_line_error(run("minimize --optimizer cg --max-line-evaluations 0"),
                        "max-line-evaluations");
  expect_one_line_error(run("minimize --optimizer lbfgs --gradient-tolerance -1"),
                        "gradient-tolerance");
  expect_one_line_error(run("minimize --optimizer lbfgs --steps 0"), "--steps");
}

}  // namespace
}  // namespace descent

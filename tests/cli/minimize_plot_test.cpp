// `descent minimize --plot`: the run's path, and those of --compare, drawn on
// the function's contour plot.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>

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

using testing::decode_png;
using testing::Image;
using testing::pixels_of;

class MinimizePlotTest : public ::testing::Test {
 protected:
  Outcome run(const std::string& args) { return testing::run_descent(args, work_.path()); }

  fs::path file(const std::string& name) const { return work_.path() / name; }

  testing::TempDir work_;
};

TEST_F(MinimizePlotTest, PlotWritesTheRunsPathAsAPng) {
  const Outcome o =
      run("minimize --function rosenbrock --optimizer adam --lr 0.05 --steps 300 "
          "--plot " +
          file("adam.png").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("distance to the minimizer"), std::string::npos) << o.out;
  EXPECT_EQ(o.err, "");  // PLplot says nothing
  const Image image = decode_png(file("adam.png"));
  EXPECT_EQ(image.width, 800u);
  EXPECT_EQ(image.height, 560u);
  EXPECT_GT(pixels_of(image, optimizer_color("adam")), 100u);
  EXPECT_EQ(pixels_of(image, optimizer_color("sgd")), 0u);  // no other path without --compare
}

TEST_F(MinimizePlotTest, CompareAddsTheOtherOptimizersPaths) {
  const Outcome o =
      run("minimize --function beale --optimizer adam --lr 0.05 --steps 300 "
          "--compare sgd,rmsprop:0.01 --plot " +
          file("beale.png").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const Image image = decode_png(file("beale.png"));
  for (const char* optimizer : {"adam", "sgd", "rmsprop"}) {
    EXPECT_GT(pixels_of(image, optimizer_color(optimizer)), 100u) << optimizer;
  }
}

TEST_F(MinimizePlotTest, PlotWritesSvg) {
  const Outcome o =
      run("minimize --function saddle --optimizer momentum --lr 0.01 --steps 100 "
          "--plot " +
          file("saddle.svg").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string svg = read_file(file("saddle.svg"));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST_F(MinimizePlotTest, PlotMistakesAreOneLineErrors) {
  expect_one_line_error(
      run("minimize --function rosenbrock --dim 5 --steps 10 --plot " + file("r.png").string()),
      "2-D");
  expect_one_line_error(run("minimize --steps 10 --plot " + file("r.jpg").string()), ".png");
  expect_one_line_error(run("minimize --steps 10 --compare adam"), "--plot");
  expect_one_line_error(
      run("minimize --steps 10 --compare adam:fast --plot " + file("r.png").string()), "adam:fast");
  expect_one_line_error(run("minimize --steps 10 --compare adamz --plot " + file("r.png").string()),
                        "adamz");
  expect_one_line_error(run("minimize --steps 10 --plot " + file("no/such/r.png").string()),
                        "no/such");
  EXPECT_FALSE(fs::exists(file("r.png")));
  EXPECT_FALSE(fs::exists(file("r.jpg")));
}

}  // namespace
}  // namespace descent

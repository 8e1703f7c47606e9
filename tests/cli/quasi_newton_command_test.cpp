// descent train and descent compare with lbfgs, cg and olbfgs: softmax
// regression (--hidden 0), full-batch runs, their flags and errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "descent/core/json_file.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;

class QuasiNewtonCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 500, 100); }

  testing::Outcome run(const std::string& args) {
    return testing::run_descent(args + " --data-dir " + data_.path().string() +
                                    " --validation-size 100 -q",
                                work_.path());
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(QuasiNewtonCommandTest, TrainsSoftmaxRegressionWithFullBatchLbfgs) {
  const fs::path out = work_.path() / "lbfgs";
  const auto outcome = run("train --hidden 0 --optimizer lbfgs --batch-size 0 --history 5 "
                           "--epochs 5 --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto config = read_json_file(out / "config.json");
  EXPECT_EQ(config["hidden"], nlohmann::json::array({0}));
  EXPECT_EQ(config["history"], 5);
  const auto metrics = read_json_file(out / "metrics.json");
  EXPECT_EQ(metrics["epochs"], 5);
  EXPECT_GE(metrics["passes"].get<double>(), 5.0);
  EXPECT_TRUE(metrics.contains("final_gradient_norm"));
}

TEST_F(QuasiNewtonCommandTest, BadSettingsAreOneLineErrorsNamingTheFlag) {
  const std::string base = "train --epochs 1 --out " + (work_.path() / "bad").string();
  expect_one_line_error(run(base + " --optimizer lbfgs --hidden 8 --dropout 0.5"), "dropout");
  expect_one_line_error(run(base + " --optimizer lbfgs --history 0"), "history");
  expect_one_line_error(run(base + " --optimizer olbfgs --lambda -1"), "lambda");
  expect_one_line_error(run(base + " --optimizer adam --tau 5"), "tau");
  expect_one_line_error(run(base + " --optimizer sgd --batch-size 0"), "batch-size");
}

TEST_F(QuasiNewtonCommandTest, CompareMixesLbfgsOlbfgsAndAdam) {
  const fs::path out = work_.path() / "sweep";
  const auto outcome = run("compare --optimizers lbfgs,adam,olbfgs --hidden 0 --epochs 2 "
                           "--jobs 1 --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto summary = read_json_file(out / "summary.json");
  ASSERT_EQ(summary.size(), 3u);
  for (const auto& row : summary) {
    const std::string id = row["run"];
    const auto history = read_json_file(out / "runs" / id / "history.json");
    EXPECT_EQ(history["passes"].size(), history["loss"].size()) << id;
    const auto config = read_json_file(out / "runs" / id / "config.json");
    if (config["optimizer"] == "lbfgs") {
      EXPECT_EQ(config["batch-size"], 0);
    }
  }
  EXPECT_TRUE(fs::exists(out / "report.html"));
}

}  // namespace
}  // namespace descent

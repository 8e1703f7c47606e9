// descent train and descent compare with lbfgs, cg and olbfgs: softmax
// regression (--hidden 0), full-batch runs, their flags and errors; every
// command that trains takes every optimizer and schedule flag.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/synthetic_data_command.hpp"
#include "descent/core/json_file.hpp"
#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/schedule.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;

using QuasiNewtonCommandTest = testing::SyntheticDataCommandTest;

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

TEST_F(QuasiNewtonCommandTest, EveryCommandThatTrainsTakesEveryOptimizerAndScheduleFlag) {
  for (const char* command : {"train", "compare", "ensemble", "distill", "lr-find"}) {
    const auto help = testing::run_descent(std::string(command) + " --help", work_.path());
    ASSERT_EQ(help.exit_code, 0) << command;
    for (const OptionTable* table : {&optimizer_option_table(), &schedule_option_table()}) {
      for (const OptionDeclaration& option : *table) {
        EXPECT_NE(help.out.find("--" + option.name() + " "), std::string::npos)
            << command << " --" << option.name();
      }
    }
  }
}

TEST_F(QuasiNewtonCommandTest, CompareGivesEachOptimizerTheOptionFlagsItHas) {
  const fs::path out = work_.path() / "sweep";
  const auto outcome =
      run("compare --optimizers lbfgs,adam --history 4 --beta1 0.8 --hidden 0 "
          "--epochs 1 --jobs 1 --out " +
          out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  for (const auto& row : read_json_file(out / "summary.json")) {
    const auto config =
        read_json_file(out / "runs" / row["run"].get<std::string>() / "config.json");
    const bool lbfgs = config["optimizer"] == "lbfgs";
    EXPECT_EQ(config.contains("history"), lbfgs);
    EXPECT_EQ(config.contains("beta1"), !lbfgs);
    EXPECT_EQ(config.value(lbfgs ? "history" : "beta1", 0.0), lbfgs ? 4.0 : 0.8);
  }
  const std::string base = "compare --hidden 0 --epochs 1 --out " + (work_.path() / "bad").string();
  expect_one_line_error(run(base + " --optimizers sgd,momentum --beta1 0.8"), "beta1");
  expect_one_line_error(run(base + " --optimizers sgd --optimizer adam"), "optimizer");
  expect_one_line_error(run(base + " --schedules step --schedule cosine"), "schedule");
}

TEST_F(QuasiNewtonCommandTest, EnsembleMembersTakeTheQuasiNewtonFlags) {
  const fs::path out = work_.path() / "members";
  const auto outcome =
      run("ensemble --members 2 --optimizer lbfgs --batch-size 0 --history 3 "
          "--c2 0.5 --hidden 0 --epochs 1 --jobs 1 --out " +
          out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  std::size_t members = 0;
  for (const auto& run_dir : fs::directory_iterator(out / "runs")) {
    const auto config = read_json_file(run_dir.path() / "config.json");
    EXPECT_EQ(config["history"], 3);
    EXPECT_EQ(config["c2"], 0.5);
    ++members;
  }
  EXPECT_EQ(members, 2u);
}

// One builder of lbfgs and cg for both commands: the same options, defaults
// and checks.
TEST_F(QuasiNewtonCommandTest, MinimizeAndTrainConfigureLineSearchesAlike) {
  const auto minimized = testing::run_descent(
      "minimize --function sphere --optimizer cg --line-search backtracking --c1 0.05",
      work_.path());
  ASSERT_EQ(minimized.exit_code, 0) << minimized.err;
  EXPECT_NE(minimized.out.find("backtracking line search"), std::string::npos) << minimized.out;
  const fs::path out = work_.path() / "cg";
  const auto trained =
      run("train --hidden 0 --optimizer cg --batch-size 0 --line-search "
          "backtracking --c1 0.05 --epochs 1 --out " +
          out.string());
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const auto config = read_json_file(out / "config.json");
  EXPECT_EQ(config["line-search"], "backtracking");
  EXPECT_EQ(config["c1"], 0.05);
  const std::string train = "train --hidden 0 --optimizer cg --batch-size 0 --epochs 1 --out " +
                            (work_.path() / "bad").string();
  expect_one_line_error(run(train + " --c2 1.5"), "c2");
  expect_one_line_error(testing::run_descent("minimize --optimizer cg --c2 1.5", work_.path()),
                        "c2");
  expect_one_line_error(run(train + " --history 5"), "history");
  expect_one_line_error(testing::run_descent("minimize --optimizer cg --history 5", work_.path()),
                        "history");
}

}  // namespace
}  // namespace descent

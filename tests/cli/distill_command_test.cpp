// `descent distill` and `descent train --teacher` as a user runs them: a
// student distilled from a small ensemble on synthetic data, its folders and
// metrics, `descent evaluate` of a student agreeing with them, a distilled
// `descent train` whose config.json runs again, and errors as one line.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/json_file.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

class DistillCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::TempDir;
    work_ = new testing::TempDir;
    testing::write_synthetic_idx(data_->path(), 700, 200);
    teacher_ = new Outcome(run("ensemble -q --members 2 --epochs 2 --hidden 32 --lr 0.05 " +
                               data_flags() + " --out " + (work_->path() / "ens").string()));
    distilled_ = new Outcome(run("distill --teacher " + teacher().string() +
                                 " --hidden 8 --epochs 2 --lr 0.05 -T 3 --alpha 0.8 --seeds 4,5 " +
                                 "--jobs 2 " + data_flags() + " --out " + dir().string()));
  }
  static void TearDownTestSuite() {
    delete distilled_;
    delete teacher_;
    delete work_;
    delete data_;
  }

  static Outcome run(const std::string& args) { return testing::run_descent(args, work_->path()); }
  static std::string data_flags() {
    return "--validation-size 100 --data-dir " + data_->path().string();
  }
  static fs::path teacher() { return work_->path() / "ens" / "ensemble.json"; }
  static fs::path dir() { return work_->path() / "dist"; }

  static testing::TempDir* data_;
  static testing::TempDir* work_;
  static Outcome* teacher_;
  static Outcome* distilled_;
};

testing::TempDir* DistillCommandTest::data_ = nullptr;
testing::TempDir* DistillCommandTest::work_ = nullptr;
Outcome* DistillCommandTest::teacher_ = nullptr;
Outcome* DistillCommandTest::distilled_ = nullptr;

TEST_F(DistillCommandTest, TrainsStudentsBothWaysWithTheSameSeeds) {
  ASSERT_EQ(teacher_->exit_code, 0) << teacher_->err;
  ASSERT_EQ(distilled_->exit_code, 0) << distilled_->err;
  const auto metrics = read_json_file(dir() / "distill_metrics.json");
  EXPECT_EQ(metrics["temperature"], 3.0);
  EXPECT_EQ(metrics["alpha"], 0.8);
  const auto ensemble = read_json_file(work_->path() / "ens" / "ensemble_metrics.json");
  EXPECT_EQ(metrics["teacher"]["test_acc"], ensemble["ensemble"]["mean-probs"]["test_acc"]);
  EXPECT_EQ(metrics["teacher"]["members"], 2);
  for (const char* way : {"distilled", "labels_alone"}) {
    const auto& students = metrics[way];
    ASSERT_EQ(students["runs"].size(), 2u) << way;
    double sum = 0;
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& student = students["runs"][i];
      EXPECT_EQ(student["seed"], 4 + i);
      const fs::path folder = student["folder"].get<std::string>();
      const auto config = read_json_file(folder / "config.json");
      EXPECT_EQ(config["seed"], 4 + i);
      EXPECT_EQ(config["hidden"], nlohmann::json::array({8}));
      EXPECT_EQ(config.contains("teacher"), std::string(way) == "distilled") << folder;
      EXPECT_EQ(read_json_file(folder / "metrics.json")["test_acc"], student["test_acc"]);
      sum += student["test_acc"].get<double>();
    }
    EXPECT_DOUBLE_EQ(students["mean_test_acc"].get<double>(), sum / 2) << way;
  }
  const auto config = read_json_file(metrics["distilled"]["runs"][0]["folder"].get<std::string>() /
                                fs::path("config.json"));
  EXPECT_EQ(fs::path(config["teacher"].get<std::string>()), teacher());
  EXPECT_EQ(config["temperature"], 3.0);
  EXPECT_EQ(config["alpha"], 0.8);
  EXPECT_NE(distilled_->out.find("distilled"), std::string::npos) << distilled_->out;
  EXPECT_NE(distilled_->out.find("labels alone"), std::string::npos) << distilled_->out;
}

TEST_F(DistillCommandTest, AStudentIsAModelLikeAnyOther) {
  ASSERT_EQ(distilled_->exit_code, 0) << distilled_->err;
  const auto metrics = read_json_file(dir() / "distill_metrics.json");
  const std::string folder = metrics["distilled"]["runs"][1]["folder"];
  const Outcome o = run("evaluate " + folder);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::ostringstream expected;
  expected << "model: accuracy " << metrics["distilled"]["runs"][1]["test_acc"].get<double>();
  EXPECT_NE(o.out.find(expected.str()), std::string::npos) << o.out << "\nexpected " << expected.str();
}

// descent train --teacher: the config.json it writes runs again with
// --config (one epoch of it is the start of the two-epoch run).
TEST_F(DistillCommandTest, TrainWithATeacherReadsBackItsConfig) {
  ASSERT_EQ(teacher_->exit_code, 0) << teacher_->err;
  const std::string flags = "train -q --teacher " + teacher().string() +
                            " --temperature 2 --alpha 0.6 --hidden 8 --epochs 2 --threads 1 " +
                            data_flags();
  const fs::path whole = work_->path() / "whole";
  const fs::path stopped = work_->path() / "stopped";
  ASSERT_EQ(run(flags + " --out " + whole.string()).exit_code, 0);
  auto config = read_json_file(whole / "config.json");
  EXPECT_EQ(config["alpha"], 0.6);
  EXPECT_EQ(config["temperature"], 2.0);
  config["epochs"] = 1;
  fs::create_directories(work_->path() / "cfg");
  const fs::path one_epoch = work_->path() / "cfg" / "one.json";
  write_file_atomic(one_epoch, config.dump());
  ASSERT_EQ(run("train -q --config " + one_epoch.string() + " --out " + stopped.string()).exit_code,
            0);
  EXPECT_NE(read_file(whole / "loss.csv"), read_file(stopped / "loss.csv"));
  EXPECT_EQ(read_file(whole / "loss.csv").rfind(read_file(stopped / "loss.csv"), 0), 0u)
      << "the one-epoch run is the start of the two-epoch one";
}

TEST_F(DistillCommandTest, BadInputIsOneLineError) {
  ASSERT_EQ(teacher_->exit_code, 0) << teacher_->err;
  const std::string student = " --hidden 8 --epochs 1 " + data_flags();
  expect_one_line_error(run("distill --teacher " + (work_->path() / "none.json").string() + student),
                        "none.json");
  expect_one_line_error(run("distill --teacher " + teacher().string() + " --alpha 1.5" + student),
                        "alpha");
  expect_one_line_error(run("distill --teacher " + teacher().string() + " -T 0" + student),
                        "temperature");
  expect_one_line_error(run("distill" + student), "--teacher");
  expect_one_line_error(run("train --alpha 0.5" + student), "teacher");
  // A teacher of another input size: 6 x 6 images against its 8 x 8.
  testing::TempDir small;
  testing::write_synthetic_idx(small.path(), 300, 100, 6);
  expect_one_line_error(run("distill --teacher " + teacher().string() +
                            " --hidden 8 --epochs 1 --validation-size 100 --data-dir " +
                            small.path().string()),
                        "input");
}

}  // namespace
}  // namespace descent

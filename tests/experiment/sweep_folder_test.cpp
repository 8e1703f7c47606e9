// Reading a sweep folder back: groups, runs, histories with NaN, pending runs,
// and errors that name the file and field at fault.
#include "descent/experiment/sweep_folder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "support/sweep_fixture.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;
using R = testing::FabricatedRuns;

class SweepFolderTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_fabricated_sweep(dir_.path()); }

  nlohmann::json read_json(const std::string& name) {
    return nlohmann::json::parse(read_file(dir_.path() / name));
  }
  void write_json(const std::string& name, const nlohmann::json& value) {
    write_file_atomic(dir_.path() / name, value.dump());
  }

  // The message of the error that reading the folder throws.
  template <typename E>
  std::string error_reading() {
    try {
      read_sweep_folder(dir_.path());
    } catch (const E& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
  }

  testing::TempDir dir_;
};

TEST_F(SweepFolderTest, ReadsGroupsRunsAndHistories) {
  const SweepFolder sweep = read_sweep_folder(dir_.path());
  EXPECT_EQ(sweep.name, "fixture");
  EXPECT_EQ(sweep.title, "A fabricated sweep");
  ASSERT_EQ(sweep.groups.size(), 3u);
  EXPECT_EQ(sweep.groups[0].name, "sgd-vs-momentum");
  EXPECT_EQ(sweep.groups[0].kind, GroupKind::curves);
  EXPECT_EQ(sweep.groups[1].kind, GroupKind::lr_sweep);
  EXPECT_EQ(sweep.groups[2].kind, GroupKind::decay);
  EXPECT_EQ(sweep.groups[1].runs.size(), 7u);
  ASSERT_EQ(sweep.runs.size(), 10u);

  const FolderRun& momentum = sweep.run(R::momentum);
  EXPECT_EQ(momentum.optimizer, "momentum");
  EXPECT_EQ(momentum.lr, 1e-2);
  EXPECT_EQ(momentum.schedule, "constant");
  ASSERT_EQ(momentum.hyperparameters.size(), 1u);
  EXPECT_EQ(momentum.hyperparameters[0].first, "momentum");
  EXPECT_EQ(momentum.hyperparameters[0].second, "0.9");
  EXPECT_EQ(momentum.status, RunStatus::Finished);
  EXPECT_NEAR(momentum.val_acc, 0.85, 1e-12);
  EXPECT_EQ(momentum.best_epoch, 5u);
  EXPECT_EQ(momentum.loss.size(), testing::fabricated_iterations);
  ASSERT_EQ(momentum.epochs.size(), 5u);
  EXPECT_EQ(momentum.epochs[4].epoch, 5u);
  EXPECT_EQ(momentum.epochs[4].iteration, 1500u);
  EXPECT_NEAR(momentum.epochs[4].val_accuracy, 0.85, 1e-12);
}

TEST_F(SweepFolderTest, DivergedLossReadsNullAsNaN) {
  const SweepFolder sweep = read_sweep_folder(dir_.path());
  const FolderRun& run = sweep.run(R::adam_diverged);
  EXPECT_EQ(run.status, RunStatus::Diverged);
  ASSERT_EQ(run.loss.size(), 450u);
  EXPECT_TRUE(std::isnan(run.loss.back()));
  EXPECT_TRUE(std::isnan(run.final_loss));
  for (std::size_t i = 0; i + 1 < run.loss.size(); ++i) ASSERT_TRUE(std::isfinite(run.loss[i]));
  EXPECT_FALSE(run.message.empty());
}

TEST_F(SweepFolderTest, PendingRunWithoutFolderIsTolerated) {
  const SweepFolder sweep = read_sweep_folder(dir_.path());
  const FolderRun& run = sweep.run(R::adam_pending);
  EXPECT_EQ(run.status, RunStatus::Pending);
  EXPECT_TRUE(run.loss.empty());
  EXPECT_TRUE(run.epochs.empty());
  EXPECT_TRUE(std::isnan(run.val_acc));  // no result yet, not a zero
  EXPECT_TRUE(std::isnan(run.final_loss));
}

TEST_F(SweepFolderTest, InterruptedRunKeepsItsHistoryAndIsPending) {
  nlohmann::json summary = read_json("summary.json");
  summary[0]["status"] = "pending";
  write_json("summary.json", summary);
  fs::remove(dir_.path() / "runs" / R::sgd / "metrics.json");
  const SweepFolder sweep = read_sweep_folder(dir_.path());
  const FolderRun& run = sweep.run(R::sgd);
  EXPECT_EQ(run.status, RunStatus::Pending);
  EXPECT_EQ(run.loss.size(), testing::fabricated_iterations);
}

TEST_F(SweepFolderTest, MetricsOfTheRunOverrideAnOlderSummary) {
  nlohmann::json summary = read_json("summary.json");
  summary[0]["status"] = "pending";
  summary[0]["val_acc"] = 0.0;
  write_json("summary.json", summary);
  const SweepFolder sweep = read_sweep_folder(dir_.path());
  const FolderRun& run = sweep.run(R::sgd);
  EXPECT_EQ(run.status, RunStatus::Finished);
  EXPECT_NEAR(run.val_acc, 0.80, 1e-12);
}

TEST_F(SweepFolderTest, ReadsLrFindAndPaths) {
  const SweepFolder sweep = read_sweep_folder(dir_.path());
  ASSERT_EQ(sweep.lr_finds.size(), 1u);
  EXPECT_EQ(sweep.lr_finds[0].optimizer, "adam");
  EXPECT_EQ(sweep.lr_finds[0].lr.size(), 200u);
  EXPECT_EQ(sweep.lr_finds[0].suggested_lr, 1.2e-3);
  ASSERT_EQ(sweep.paths.size(), 1u);
  EXPECT_EQ(sweep.paths[0].function, "rosenbrock");
  EXPECT_EQ(sweep.paths[0].paths.size(), 2u);
}

TEST_F(SweepFolderTest, CorruptSummaryIsFormatErrorNamingIt) {
  write_file_atomic(dir_.path() / "summary.json", "[{\"run\": ");
  const std::string message = error_reading<FormatError>();
  EXPECT_NE(message.find("summary.json"), std::string::npos) << message;
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
}

TEST_F(SweepFolderTest, MissingFieldIsNamedWithItsRow) {
  nlohmann::json summary = read_json("summary.json");
  summary[2].erase("lr");
  write_json("summary.json", summary);
  const std::string message = error_reading<FormatError>();
  EXPECT_NE(message.find("summary.json, row 3"), std::string::npos) << message;
  EXPECT_NE(message.find("'lr'"), std::string::npos) << message;
}

TEST_F(SweepFolderTest, WrongTypeIsNamed) {
  nlohmann::json history = read_json("runs/" + std::string(R::adam) + "/history.json");
  history["loss"][3] = "high";
  write_json("runs/" + std::string(R::adam) + "/history.json", history);
  const std::string message = error_reading<FormatError>();
  EXPECT_NE(message.find("history.json"), std::string::npos) << message;
  EXPECT_NE(message.find("'loss'"), std::string::npos) << message;
  EXPECT_NE(message.find("string"), std::string::npos) << message;
}

TEST_F(SweepFolderTest, UnknownStatusAndKindAreNamed) {
  nlohmann::json summary = read_json("summary.json");
  summary[0]["status"] = "done";
  write_json("summary.json", summary);
  fs::remove(dir_.path() / "runs" / R::sgd / "metrics.json");
  EXPECT_NE(error_reading<FormatError>().find("'done'"), std::string::npos);

  testing::write_fabricated_sweep(dir_.path());
  nlohmann::json experiment = read_json("experiment.json");
  experiment["groups"][1]["kind"] = "sweep";
  write_json("experiment.json", experiment);
  const std::string message = error_reading<FormatError>();
  EXPECT_NE(message.find("experiment.json, group 2"), std::string::npos) << message;
  EXPECT_NE(message.find("'kind'"), std::string::npos) << message;
}

TEST_F(SweepFolderTest, FinishedRunWithoutMetricsIsIoErrorNamingTheFile) {
  fs::remove(dir_.path() / "runs" / R::adam / "metrics.json");
  const std::string message = error_reading<IoError>();
  EXPECT_NE(message.find(std::string(R::adam) + "/metrics.json"), std::string::npos) << message;
}

TEST_F(SweepFolderTest, MissingExperimentIsIoError) {
  fs::remove(dir_.path() / "experiment.json");
  EXPECT_NE(error_reading<IoError>().find("experiment.json"), std::string::npos);
}

TEST_F(SweepFolderTest, GroupNamingAnUnknownRunIsFormatError) {
  nlohmann::json experiment = read_json("experiment.json");
  experiment["groups"][0]["runs"].push_back("nobody-lr1-constant-s0");
  write_json("experiment.json", experiment);
  const std::string message = error_reading<FormatError>();
  EXPECT_NE(message.find("nobody-lr1-constant-s0"), std::string::npos) << message;
  EXPECT_NE(message.find("sgd-vs-momentum"), std::string::npos) << message;
}

TEST_F(SweepFolderTest, RunNameThatLeavesTheFolderIsRefused) {
  nlohmann::json summary = read_json("summary.json");
  summary[0]["run"] = "../elsewhere";
  write_json("summary.json", summary);
  EXPECT_NE(error_reading<FormatError>().find("../elsewhere"), std::string::npos);
}

}  // namespace
}  // namespace descent

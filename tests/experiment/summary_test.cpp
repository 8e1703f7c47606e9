// The summary table of a sweep: its JSON rows, its CSV form, and the files.
#include "descent/experiment/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/text.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, separator);) fields.push_back(field);
  if (!line.empty() && line.back() == separator) fields.emplace_back();
  return fields;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

RunRecord finished_adam() {
  RunRecord run;
  run.spec.id = "adam-beta10.8-beta20.99-lr0.003-step-s7";
  run.spec.schedule_label = "step";
  run.spec.config.optimizer = "adam";
  run.spec.config.optimizer_options["beta1"] = 0.8;
  run.spec.config.optimizer_options["beta2"] = 0.99;
  run.spec.config.learning_rate = 3e-3;
  run.spec.config.seed = 7;
  run.result.status = RunStatus::Finished;
  run.result.final_train_accuracy = 0.91;
  run.result.final_val_accuracy = 0.875;
  run.result.best_val_accuracy = 0.9;
  run.result.test_accuracy = 0.8625;
  run.result.test_loss = 0.41;
  run.result.best_epoch = 4;
  run.result.seconds = 12.5;
  run.result.final_loss = 0.3125;
  return run;
}

RunRecord pending_sgd() {
  RunRecord run;
  run.spec.id = "sgd-lr0.01-constant-s0";
  run.spec.schedule_label = "constant";
  run.spec.config.optimizer = "sgd";
  run.spec.config.learning_rate = 0.01;
  return run;
}

TEST(SummaryTest, RowHoldsTheRunsSettingsAndResults) {
  const RunRecord run = finished_adam();
  const nlohmann::json row = summary_row(run);
  EXPECT_EQ(row["run"], run.spec.id);
  EXPECT_EQ(row["optimizer"], "adam");
  EXPECT_EQ(row["lr"], 3e-3);
  EXPECT_EQ(row["schedule"], "step");
  EXPECT_EQ(row["seed"], 7);
  EXPECT_EQ(row["hyperparameters"], nlohmann::json({{"beta1", 0.8}, {"beta2", 0.99}}));
  EXPECT_EQ(row["status"], "finished");
  EXPECT_EQ(row["train_acc"], 0.91);
  EXPECT_EQ(row["val_acc"], 0.875);
  EXPECT_EQ(row["test_acc"], 0.8625);
  EXPECT_EQ(row["best_epoch"], 4);
  EXPECT_EQ(row["final_loss"], 0.3125);
  EXPECT_EQ(row["seconds"], 12.5);

  const nlohmann::json pending = summary_row(pending_sgd());
  EXPECT_EQ(pending["status"], "pending");
  EXPECT_EQ(pending["hyperparameters"], nlohmann::json::object());
  EXPECT_EQ(pending["best_epoch"], 0);
}

TEST(SummaryTest, CsvHasTheRowsColumnsWithHyperparametersAsPairs) {
  RunRecord diverged = pending_sgd();
  diverged.result.status = RunStatus::Diverged;
  diverged.result.final_loss = std::nan("");
  const std::vector<RunRecord> runs = {finished_adam(), pending_sgd(), diverged};
  const auto lines = lines_of(summary_csv(runs));
  ASSERT_EQ(lines.size(), 4u);
  const auto header = split(lines[0], ',');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(split(lines[i], ',').size(), header.size()) << lines[i];
  }
  const auto column = [&](std::size_t row, const std::string& name) {
    const auto at = std::find(header.begin(), header.end(), name);
    EXPECT_NE(at, header.end()) << name;
    if (at == header.end()) return std::string();
    return split(lines[row], ',').at(static_cast<std::size_t>(at - header.begin()));
  };
  // Every column of summary.json.
  const nlohmann::json row = summary_row(runs[0]);
  for (const auto& [key, value] : row.items()) column(1, key);
  EXPECT_EQ(column(1, "run"), runs[0].spec.id);
  EXPECT_EQ(column(1, "optimizer"), "adam");
  EXPECT_EQ(std::stod(column(1, "lr")), 3e-3);
  EXPECT_EQ(column(1, "schedule"), "step");
  EXPECT_EQ(column(1, "seed"), "7");
  EXPECT_EQ(column(1, "hyperparameters"), "beta1=0.8;beta2=0.99");
  EXPECT_EQ(column(1, "status"), "finished");
  EXPECT_EQ(std::stod(column(1, "train_acc")), 0.91);
  EXPECT_EQ(std::stod(column(1, "val_acc")), 0.875);
  EXPECT_EQ(std::stod(column(1, "test_acc")), 0.8625);
  EXPECT_EQ(column(1, "best_epoch"), "4");
  EXPECT_EQ(std::stod(column(1, "final_loss")), 0.3125);
  EXPECT_EQ(std::stod(column(1, "seconds")), 12.5);
  EXPECT_EQ(column(2, "hyperparameters"), "");
  EXPECT_EQ(column(2, "status"), "pending");
  EXPECT_EQ(column(3, "status"), "diverged");
}

TEST(SummaryTest, NumbersKeepEveryBit) {
  RunRecord run = finished_adam();
  run.result.final_val_accuracy = 1.0 / 3.0;
  run.spec.config.learning_rate = 0.1 + 0.2;
  const auto lines = lines_of(summary_csv({run}));
  const auto header = split(lines[0], ',');
  const auto fields = split(lines[1], ',');
  const auto at = [&](const std::string& name) {
    return fields.at(
        static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin()));
  };
  EXPECT_EQ(std::stod(at("val_acc")), 1.0 / 3.0);
  EXPECT_EQ(std::stod(at("lr")), 0.1 + 0.2);
  EXPECT_EQ(summary_row(run)["val_acc"].get<double>(), 1.0 / 3.0);
}

TEST(SummaryTest, WritesBothFiles) {
  testing::TempDir dir;
  const std::vector<RunRecord> runs = {finished_adam(), pending_sgd()};
  write_summary(dir.path(), runs);
  const auto json = nlohmann::json::parse(read_file(dir.path() / "summary.json"));
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0], summary_row(runs[0]));
  EXPECT_EQ(json[1], summary_row(runs[1]));
  EXPECT_EQ(read_file(dir.path() / "summary.csv"), summary_csv(runs));
  // Written again with fewer rows, both files follow.
  write_summary(dir.path(), {runs[1]});
  EXPECT_EQ(nlohmann::json::parse(read_file(dir.path() / "summary.json")).size(), 1u);
  EXPECT_EQ(lines_of(read_file(dir.path() / "summary.csv")).size(), 2u);
}

}  // namespace
}  // namespace descent

// The score of a distillation's students: the mean and sample standard
// deviation of the finished runs' test accuracies, computed here by hand,
// with a diverged run listed but left out; and its JSON, distill_metrics.json.
#include "descent/ensemble/distillation_score.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace descent {
namespace {

RunRecord student(const std::string& id, std::uint64_t seed, RunStatus status, double accuracy,
                  double loss) {
  RunRecord run;
  run.spec.id = id;
  run.spec.config.seed = seed;
  run.result.status = status;
  run.result.test_accuracy = accuracy;
  run.result.test_loss = loss;
  return run;
}

TEST(DistillationScore, StudentsAreTheFinishedRunsMeanAndSampleDeviation) {
  SweepResult sweep;
  sweep.runs = {student("s0", 0, RunStatus::Finished, 0.80, 0.5),
                student("s1", 1, RunStatus::Diverged, 0.10, 9.0),
                student("s2", 2, RunStatus::Finished, 0.84, 0.3)};
  const Students students = score_students(sweep, "out");
  ASSERT_EQ(students.runs.size(), 3u);
  EXPECT_EQ(students.finished, 2u);
  EXPECT_EQ(students.runs[1].seed, 1u);
  EXPECT_EQ(students.runs[1].status, RunStatus::Diverged);
  EXPECT_EQ(students.runs[2].folder, std::filesystem::path("out") / "runs" / "s2");
  EXPECT_DOUBLE_EQ(students.mean_accuracy, 0.82);
  // s^2 = ((0.80 - 0.82)^2 + (0.84 - 0.82)^2) / (2 - 1) = 8e-4.
  EXPECT_NEAR(students.sd_accuracy, std::sqrt(8e-4), 1e-15);
  EXPECT_DOUBLE_EQ(students.mean_loss, 0.4);
}

TEST(DistillationScore, NoFinishedRunScoresZeroAndOneRunHasNoSpread) {
  SweepResult sweep;
  sweep.runs = {student("s0", 0, RunStatus::Diverged, 0.1, 9.0)};
  const Students none = score_students(sweep, "out");
  EXPECT_EQ(none.finished, 0u);
  EXPECT_EQ(none.mean_accuracy, 0.0);
  EXPECT_EQ(none.sd_accuracy, 0.0);
  sweep.runs = {student("s0", 0, RunStatus::Finished, 0.7, 0.6)};
  const Students one = score_students(sweep, "out");
  EXPECT_EQ(one.mean_accuracy, 0.7);
  EXPECT_EQ(one.sd_accuracy, 0.0);
}

TEST(DistillationScore, JsonHoldsTeacherStudentsAndTheGain) {
  DistillationScore score;
  score.teacher_path = "runs/ensemble/ensemble.json";
  score.teacher_members = 5;
  score.teacher = {0.3, 0.9};  // loss, accuracy
  score.student = "hidden 30";
  score.temperature = 2;
  score.alpha = 0.5;
  SweepResult soft;
  soft.runs = {student("d0", 0, RunStatus::Finished, 0.88, 0.35)};
  SweepResult hard;
  hard.runs = {student("l0", 0, RunStatus::Finished, 0.86, 0.37)};
  score.distilled = score_students(soft, "out/distilled");
  score.labels_alone = score_students(hard, "out/labels");
  const nlohmann::json json = to_json(score);
  EXPECT_EQ(json["teacher"]["members"], 5);
  EXPECT_EQ(json["teacher"]["combine"], "mean-probs");
  EXPECT_EQ(json["teacher"]["test_acc"].get<double>(), score.teacher.accuracy);
  EXPECT_EQ(json["student"], "hidden 30");
  EXPECT_EQ(json["distilled"]["runs"][0]["folder"], "out/distilled/runs/d0");
  EXPECT_EQ(json["labels_alone"]["runs"][0]["status"], "finished");
  EXPECT_DOUBLE_EQ(json["gain_over_labels_alone"].get<double>(), 0.88 - 0.86);
}

TEST(DistillationScore, HiddenLayersAreDescribed) {
  NetworkConfig network;
  network.hidden = {100, 50};
  EXPECT_EQ(describe_hidden_layers(network), "hidden 100-50");
  network.hidden = {};
  EXPECT_EQ(describe_hidden_layers(network), "no hidden layer");
}

}  // namespace
}  // namespace descent

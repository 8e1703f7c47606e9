#include "descent/ensemble/distillation_score.hpp"

#include <nlohmann/json.hpp>

#include "descent/experiment/spread.hpp"

namespace descent {

Students score_students(const SweepResult& sweep, const std::filesystem::path& folder) {
  Students students;
  std::vector<double> accuracies;
  for (const RunRecord& run : sweep.runs) {
    students.runs.push_back({run.spec.config.seed, folder / "runs" / run.spec.id,
                             run.result.status, run.result.test_accuracy,
                             run.result.test_loss});
    if (run.result.status != RunStatus::Finished) continue;
    accuracies.push_back(run.result.test_accuracy);
    students.mean_loss += run.result.test_loss;
  }
  students.finished = accuracies.size();
  if (students.finished == 0) return students;
  const Spread accuracy = spread_of(accuracies);
  students.mean_accuracy = accuracy.mean;
  students.sd_accuracy = students.finished > 1 ? accuracy.sd : 0;
  students.mean_loss /= static_cast<double>(students.finished);
  return students;
}

std::string describe_hidden_layers(const NetworkConfig& network) {
  if (network.hidden.empty()) return "no hidden layer";
  std::string text = "hidden";
  for (std::size_t i = 0; i < network.hidden.size(); ++i) {
    text += (i == 0 ? " " : "-") + std::to_string(network.hidden[i]);
  }
  return text;
}

namespace {

nlohmann::json to_json(const Students& students) {
  nlohmann::json runs = nlohmann::json::array();
  for (const StudentRun& run : students.runs) {
    runs.push_back({{"seed", run.seed},
                    {"folder", run.folder.string()},
                    {"status", to_string(run.status)},
                    {"test_acc", run.test_accuracy},
                    {"test_loss", run.test_loss}});
  }
  return {{"runs", runs},
          {"finished", students.finished},
          {"mean_test_acc", students.mean_accuracy},
          {"sd_test_acc", students.sd_accuracy},
          {"mean_test_loss", students.mean_loss}};
}

}  // namespace

nlohmann::json to_json(const DistillationScore& score) {
  return {{"teacher",
           {{"path", score.teacher_path},
            {"members", score.teacher_members},
            {"combine", to_string(score.combine)},
            {"test_acc", score.teacher.accuracy},
            {"test_loss", score.teacher.loss}}},
          {"student", score.student},
          {"temperature", score.temperature},
          {"alpha", score.alpha},
          {"distilled", to_json(score.distilled)},
          {"labels_alone", to_json(score.labels_alone)},
          {"gain_over_labels_alone",
           score.distilled.mean_accuracy - score.labels_alone.mean_accuracy}};
}

}  // namespace descent

// A distillation scored as `descent distill` reports it: the teacher on the
// test set beside its students, each seed trained once on the teacher's soft
// targets and once on the labels alone with the same budget, as mean +- sd
// over the seeds. distill_metrics.json is its JSON form.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "descent/ensemble/ensemble.hpp"
#include "descent/experiment/sweep.hpp"

namespace descent {

struct StudentRun {
  std::uint64_t seed = 0;
  std::filesystem::path folder;
  RunStatus status = RunStatus::Finished;
  double test_accuracy = 0;
  double test_loss = 0;
};

// One way of training the student, over its seeds. The means and the sample
// standard deviation are of the runs that finished (a diverged run is left
// out); 0 where there are none, the sd 0 for one run.
struct Students {
  std::vector<StudentRun> runs;  // in the sweep's order
  std::size_t finished = 0;
  double mean_accuracy = 0;
  double sd_accuracy = 0;
  double mean_loss = 0;
};

// The students of `sweep`, whose runs are in folder/runs/<id>.
Students score_students(const SweepResult& sweep, const std::filesystem::path& folder);

struct DistillationScore {
  std::string teacher_path;
  std::size_t teacher_members = 1;
  Combine combine = Combine::mean_probabilities;
  Network::Evaluation teacher{0, 0};  // on the test set
  std::string student;                // describe_hidden_layers of its network
  double temperature = 1;
  double alpha = 0;
  Students distilled;
  Students labels_alone;
};

// "hidden 100-100", or "no hidden layer" (softmax regression).
std::string describe_hidden_layers(const NetworkConfig& network);

// distill_metrics.json.
nlohmann::json to_json(const DistillationScore& score);

}  // namespace descent

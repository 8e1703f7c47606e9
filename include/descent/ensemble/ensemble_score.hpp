// An ensemble scored on a test set, as `descent ensemble` reports it: each
// member alone, the best and the mean member, the three rules of combining
// (ensemble.hpp), the accuracy of the first k members for each k, and the
// cost of prediction. ensemble_metrics.json is its JSON form.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "descent/data/dataset.hpp"
#include "descent/ensemble/ensemble.hpp"

namespace descent {

struct EnsembleScore {
  Combine combine = Combine::mean_probabilities;  // the rule of ensemble.json
  std::size_t test_samples = 0;
  std::vector<Network::Evaluation> members;
  // Each member's label: its run folder's parent and name ("runs/adam-s0").
  std::vector<std::string> labels;
  Network::Evaluation best_member{0, 0};  // by accuracy, the first of equals
  Network::Evaluation mean_member{0, 0};  // the members' mean accuracy and loss
  std::map<Combine, Network::Evaluation> ensemble;
  std::map<Combine, std::vector<double>> accuracy_by_size;  // k = 1 .. members
  // Microseconds per test sample, the fastest of three timings: one member,
  // and the ensemble under `combine`.
  double one_model_us = 0;
  double ensemble_us = 0;
};

// ShapeError if the test set's samples are not the members' inputs.
EnsembleScore score_ensemble(Ensemble& ensemble, const Dataset& test, Combine combine);

// ensemble_metrics.json: the score, the member folders, and the warnings of
// the members left out.
nlohmann::json to_json(const EnsembleScore& score, const Ensemble& ensemble,
                       const std::vector<std::string>& left_out);

}  // namespace descent

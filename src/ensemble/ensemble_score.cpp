#include "descent/ensemble/ensemble_score.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"

namespace descent {

namespace {

// Seconds of the fastest of three calls of `f`: the time of prediction
// without the noise of a busy machine.
template <typename F>
double fastest_seconds(F&& f) {
  double best = 0;
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = i == 0 ? s : std::min(best, s);
  }
  return best;
}

nlohmann::json scores_json(const Network::Evaluation& e) {
  return {{"test_acc", e.accuracy}, {"test_loss", e.loss}};
}

}  // namespace

EnsembleScore score_ensemble(Ensemble& ensemble, const Dataset& test, Combine combine) {
  if (test.dim() != ensemble.input_dim()) {
    throw ShapeError("ensemble: the members take inputs of size " +
                     std::to_string(ensemble.input_dim()) + ", the test set has " +
                     std::to_string(test.dim()));
  }
  EnsembleScore score;
  score.combine = combine;
  score.test_samples = test.size();
  score.members = ensemble.evaluate_members(test.features, test.labels);
  for (const std::filesystem::path& folder : ensemble.folders()) {
    score.labels.push_back((folder.parent_path().filename() / folder.filename()).string());
  }
  score.best_member = score.members.front();
  const double count = static_cast<double>(score.members.size());
  for (const Network::Evaluation& member : score.members) {
    if (member.accuracy > score.best_member.accuracy) score.best_member = member;
    score.mean_member.accuracy += member.accuracy / count;
    score.mean_member.loss += member.loss / count;
  }
  for (const Combine c : all_combines()) {
    score.ensemble.emplace(c, ensemble.evaluate(test.features, test.labels, c));
    score.accuracy_by_size[c] = ensemble.accuracy_by_size(test.features, test.labels, c);
  }
  const double n = static_cast<double>(test.size());
  score.one_model_us =
      1e6 / n * fastest_seconds([&] { ensemble.member(0).evaluate(test.features, test.labels); });
  score.ensemble_us = 1e6 / n * fastest_seconds([&] { ensemble.predict(test.features, combine); });
  return score;
}

nlohmann::json to_json(const EnsembleScore& score, const Ensemble& ensemble,
                       const std::vector<std::string>& left_out) {
  nlohmann::json ensemble_json, gain_best, gain_mean, size_json;
  for (const Combine c : all_combines()) {
    const Network::Evaluation& e = score.ensemble.at(c);
    ensemble_json[to_string(c)] = scores_json(e);
    gain_best[to_string(c)] = e.accuracy - score.best_member.accuracy;
    gain_mean[to_string(c)] = e.accuracy - score.mean_member.accuracy;
    size_json[to_string(c)] = score.accuracy_by_size.at(c);
  }
  ensemble_json["vote"]["loss_of"] = "mean-probs";
  nlohmann::json member_rows = nlohmann::json::array();
  for (std::size_t i = 0; i < score.members.size(); ++i) {
    nlohmann::json row = scores_json(score.members[i]);
    row["folder"] = ensemble.folders()[i].lexically_normal().string();
    member_rows.push_back(row);
  }
  return {
      {"combine", to_string(score.combine)},
      {"test_samples", score.test_samples},
      {"members", member_rows},
      {"left_out", left_out},
      {"best_member", scores_json(score.best_member)},
      {"mean_member", scores_json(score.mean_member)},
      {"ensemble", ensemble_json},
      {"gain_over_best", gain_best},
      {"gain_over_mean", gain_mean},
      {"us_per_sample", {{"one_model", score.one_model_us}, {"ensemble", score.ensemble_us}}},
      {"accuracy_by_size", size_json},
  };
}

}  // namespace descent

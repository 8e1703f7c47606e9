// The score of an ensemble on a test set: members, best and mean member, the
// rules, accuracy by size and the JSON of ensemble_metrics.json agree with the
// Ensemble's own evaluations; a test set of other inputs is refused.
#include "descent/ensemble/ensemble_score.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"

namespace descent {
namespace {

Dataset test_set(std::size_t dim) {
  Dataset test;
  Rng rng(5);
  test.features.resize(45, static_cast<Eigen::Index>(dim));
  for (Eigen::Index r = 0; r < test.features.rows(); ++r) {
    for (Eigen::Index c = 0; c < test.features.cols(); ++c) {
      test.features(r, c) = static_cast<float>(rng.normal());
    }
    test.labels.push_back(static_cast<std::int32_t>(r % 3));
  }
  test.num_classes = 3;
  return test;
}

Ensemble three_members() {
  NetworkConfig config;
  config.input_dim = 4;
  config.hidden = {6};
  config.num_classes = 3;
  std::vector<Network> members;
  for (const std::uint64_t seed : {1, 2, 3}) members.emplace_back(config, seed);
  return Ensemble(std::move(members), {"runs/a", "runs/b", "runs/c"});
}

TEST(EnsembleScoreTest, AgreesWithTheEnsemblesOwnEvaluations) {
  Ensemble ensemble = three_members();
  const Dataset test = test_set(4);
  const EnsembleScore score = score_ensemble(ensemble, test, Combine::vote);
  const auto members = ensemble.evaluate_members(test.features, test.labels);
  ASSERT_EQ(score.members.size(), 3u);
  double best = 0, mean = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(score.members[i].accuracy, members[i].accuracy);
    best = std::max(best, members[i].accuracy);
    mean += members[i].accuracy / 3;
  }
  EXPECT_EQ(score.best_member.accuracy, best);
  EXPECT_DOUBLE_EQ(score.mean_member.accuracy, mean);
  EXPECT_EQ(score.labels, (std::vector<std::string>{"runs/a", "runs/b", "runs/c"}));
  for (const Combine c : all_combines()) {
    EXPECT_EQ(score.ensemble.at(c).accuracy,
              ensemble.evaluate(test.features, test.labels, c).accuracy);
    EXPECT_EQ(score.accuracy_by_size.at(c).size(), 3u);
  }
  EXPECT_GT(score.one_model_us, 0);
  EXPECT_GT(score.ensemble_us, 0);

  const nlohmann::json json = to_json(score, ensemble, {"left out: x"});
  EXPECT_EQ(json["combine"], "vote");
  EXPECT_EQ(json["test_samples"], 45);
  EXPECT_EQ(json["members"].size(), 3u);
  EXPECT_EQ(json["members"][1]["folder"], "runs/b");
  EXPECT_EQ(json["left_out"][0], "left out: x");
  EXPECT_EQ(json["ensemble"]["vote"]["loss_of"], "mean-probs");
  EXPECT_DOUBLE_EQ(json["gain_over_best"]["mean-probs"].get<double>(),
                   score.ensemble.at(Combine::mean_probabilities).accuracy - best);
}

TEST(EnsembleScoreTest, TestSetOfOtherInputsIsAShapeError) {
  Ensemble ensemble = three_members();
  EXPECT_THROW(score_ensemble(ensemble, test_set(5), Combine::mean_probabilities), ShapeError);
}

}  // namespace
}  // namespace descent

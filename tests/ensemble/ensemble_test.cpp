// Ensembles: identical members give the member exactly under every rule, the
// mean of probabilities against a hand computation, vote ties, members left
// out or refused, ensemble.json read back, and accuracy against size.
#include "descent/ensemble/ensemble.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/train/model_file.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

NetworkConfig tiny_config(std::size_t input_dim = 6) {
  NetworkConfig config;
  config.input_dim = input_dim;
  config.hidden = {5};
  config.num_classes = 3;
  return config;
}

std::vector<Network> networks(std::initializer_list<std::uint64_t> seeds,
                              std::size_t input_dim = 6) {
  std::vector<Network> all;
  for (const std::uint64_t seed : seeds) all.emplace_back(tiny_config(input_dim), seed);
  return all;
}

class EnsembleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Rng rng(11);
    x_.resize(60, 6);
    for (Eigen::Index r = 0; r < x_.rows(); ++r) {
      for (Eigen::Index c = 0; c < x_.cols(); ++c) x_(r, c) = static_cast<float>(rng.normal());
      y_.push_back(static_cast<std::int32_t>(r % 3));
    }
  }

  // A run folder holding the model of `network`.
  fs::path run_folder(const std::string& name, const Network& network) {
    const fs::path folder = dir_.path() / "runs" / name;
    fs::create_directories(folder);
    save_model(folder / "model.bin", network);
    write_file_atomic(folder / "metrics.json", R"({"status": "finished", "message": ""})");
    return folder;
  }

  Matrix x_;
  std::vector<std::int32_t> y_;
  testing::TempDir dir_;
};

TEST(CombineTest, NamesReadBack) {
  for (const Combine combine : all_combines()) {
    EXPECT_EQ(parse_combine(to_string(combine)), combine);
  }
  EXPECT_EQ(to_string(Combine::mean_probabilities), "mean-probs");
  EXPECT_THROW(parse_combine("median"), ConfigError);
}

TEST_F(EnsembleTest, IdenticalMembersEqualTheMemberExactly) {
  Ensemble three(networks({7, 7, 7}));
  Ensemble one(networks({7}));
  Network member(tiny_config(), 7);
  const Network::Evaluation alone = member.evaluate(x_, y_);
  for (const Combine combine : all_combines()) {
    SCOPED_TRACE(to_string(combine));
    EXPECT_EQ(three.probabilities(x_, combine), one.probabilities(x_, combine));
    EXPECT_EQ(three.predict(x_, combine), one.predict(x_, combine));
    const Network::Evaluation e3 = three.evaluate(x_, y_, combine);
    const Network::Evaluation e1 = one.evaluate(x_, y_, combine);
    EXPECT_EQ(e3.accuracy, e1.accuracy);
    EXPECT_EQ(e3.loss, e1.loss);
    // The member's own accuracy exactly; its loss is summed in float by
    // Network::evaluate, the ensemble's in double.
    EXPECT_EQ(e1.accuracy, alone.accuracy);
    EXPECT_NEAR(e1.loss, alone.loss, 1e-6 * alone.loss);
  }
}

TEST_F(EnsembleTest, MeanOfProbabilitiesMatchesAHandComputation) {
  Ensemble ensemble(networks({1, 2}));
  const Matrix x = x_.topRows(4);
  const Matrix s1 = ensemble.member(0).scores(x);
  const Matrix s2 = ensemble.member(1).scores(x);
  const Eigen::MatrixXd p = ensemble.probabilities(x, Combine::mean_probabilities);
  const Eigen::MatrixXd q = ensemble.probabilities(x, Combine::mean_logits);
  ASSERT_EQ(p.rows(), 4);
  ASSERT_EQ(p.cols(), 3);
  for (Eigen::Index r = 0; r < 4; ++r) {
    double z1 = 0, z2 = 0, zm = 0;
    for (Eigen::Index c = 0; c < 3; ++c) {
      z1 += std::exp(double{s1(r, c)});
      z2 += std::exp(double{s2(r, c)});
      zm += std::exp((double{s1(r, c)} + double{s2(r, c)}) / 2);
    }
    for (Eigen::Index c = 0; c < 3; ++c) {
      const double by_hand =
          (std::exp(double{s1(r, c)}) / z1 + std::exp(double{s2(r, c)}) / z2) / 2;
      EXPECT_NEAR(p(r, c), by_hand, 1e-14) << r << ", " << c;
      const double logits = std::exp((double{s1(r, c)} + double{s2(r, c)}) / 2) / zm;
      EXPECT_NEAR(q(r, c), logits, 1e-14) << r << ", " << c;
    }
    EXPECT_NEAR(p.row(r).sum(), 1.0, 1e-15);
  }
  double loss = 0;
  for (Eigen::Index r = 0; r < 4; ++r) loss -= std::log(p(r, y_[static_cast<std::size_t>(r)]));
  EXPECT_NEAR(ensemble.evaluate(x, std::span(y_).first(4), Combine::mean_probabilities).loss,
              loss / 4, 1e-14);
}

TEST_F(EnsembleTest, VoteTiesGoToTheLowestClass) {
  Ensemble pair(networks({3, 4}));
  const auto a = Ensemble(networks({3})).predict(x_, Combine::vote);
  const auto b = Ensemble(networks({4})).predict(x_, Combine::vote);
  const auto vote = pair.predict(x_, Combine::vote);
  std::size_t ties = 0;
  for (std::size_t i = 0; i < vote.size(); ++i) {
    EXPECT_EQ(vote[i], std::min(a[i], b[i])) << i;
    ties += a[i] != b[i];
  }
  EXPECT_GT(ties, 0u);  // the rule was exercised
  // Two of three agreeing outvote the third, whatever its class.
  Ensemble three(networks({4, 3, 4}));
  EXPECT_EQ(three.predict(x_, Combine::vote), b);
  // Under vote the loss is mean-probs'.
  EXPECT_EQ(three.evaluate(x_, y_, Combine::vote).loss,
            three.evaluate(x_, y_, Combine::mean_probabilities).loss);
}

TEST_F(EnsembleTest, DivergedMemberIsLeftOutWithAWarning) {
  const auto nets = networks({1, 2});
  const fs::path a = run_folder("a", nets[0]);
  const fs::path bad = dir_.path() / "runs" / "bad";
  fs::create_directories(bad);
  write_file_atomic(bad / "metrics.json", R"({"status": "diverged", "message": "loss is NaN"})");
  const fs::path b = run_folder("b", nets[1]);
  std::vector<std::string> warnings;
  Ensemble ensemble = Ensemble::load({a, bad, b}, warnings);
  EXPECT_EQ(ensemble.size(), 2u);
  EXPECT_EQ(ensemble.folders(), (std::vector<fs::path>{a, b}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(bad.string()), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("diverged"), std::string::npos) << warnings[0];
  EXPECT_EQ(ensemble.probabilities(x_, Combine::mean_probabilities),
            Ensemble(networks({1, 2})).probabilities(x_, Combine::mean_probabilities));
  std::vector<std::string> none;
  EXPECT_THROW(Ensemble::load({bad}, none), ConfigError);
}

TEST_F(EnsembleTest, MissingOrMismatchedMembersAreErrorsNamingTheFolder) {
  const fs::path a = run_folder("a", networks({1})[0]);
  const fs::path missing = dir_.path() / "runs" / "missing";
  const fs::path wide = run_folder("wide", networks({2}, 7)[0]);
  const fs::path unfinished = dir_.path() / "runs" / "unfinished";
  fs::create_directories(unfinished);
  const auto message_of = [](const std::vector<fs::path>& folders) -> std::string {
    std::vector<std::string> warnings;
    try {
      Ensemble::load(folders, warnings);
    } catch (const IoError& e) {
      return std::string("IoError: ") + e.what();
    } catch (const ShapeError& e) {
      return std::string("ShapeError: ") + e.what();
    }
    return "no error";
  };
  const std::string no_folder = message_of({a, missing});
  EXPECT_EQ(no_folder.rfind("IoError", 0), 0u) << no_folder;
  EXPECT_NE(no_folder.find(missing.string()), std::string::npos) << no_folder;
  const std::string no_model = message_of({a, unfinished});
  EXPECT_EQ(no_model.rfind("IoError", 0), 0u) << no_model;
  EXPECT_NE(no_model.find(unfinished.string()), std::string::npos) << no_model;
  const std::string shape = message_of({a, wide});
  EXPECT_EQ(shape.rfind("ShapeError", 0), 0u) << shape;
  EXPECT_NE(shape.find(wide.string()), std::string::npos) << shape;
  EXPECT_NE(shape.find("input size 7"), std::string::npos) << shape;
}

TEST_F(EnsembleTest, SavedEnsembleLoadsBack) {
  const auto nets = networks({1, 2, 3});
  const std::vector<fs::path> folders = {run_folder("a", nets[0]), run_folder("b", nets[1]),
                                         run_folder("c", nets[2])};
  const fs::path file = dir_.path() / "ensemble.json";
  save_ensemble(file, folders, Combine::vote);
  const auto json = nlohmann::json::parse(read_file(file));
  EXPECT_EQ(json["members"][0], "runs/a");  // relative to the file
  EXPECT_EQ(json["combine"], "vote");
  LoadedEnsemble loaded = load_ensemble(file);
  EXPECT_EQ(loaded.combine, Combine::vote);
  EXPECT_TRUE(loaded.warnings.empty());
  ASSERT_EQ(loaded.ensemble.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(fs::equivalent(loaded.ensemble.folders()[i], folders[i]));
  }
  Ensemble original(networks({1, 2, 3}));
  for (const Combine combine : all_combines()) {
    EXPECT_EQ(loaded.ensemble.probabilities(x_, combine), original.probabilities(x_, combine));
  }
  write_file_atomic(file, R"({"kind": "descent ensemble", "version": 1, "combine": "max",
                              "members": ["runs/a"]})");
  EXPECT_THROW(load_ensemble(file), FormatError);
  write_file_atomic(file, "{");
  EXPECT_THROW(load_ensemble(file), FormatError);
}

TEST_F(EnsembleTest, AccuracyBySizeStartsAtTheFirstMember) {
  Ensemble ensemble(networks({1, 2, 3, 4}));
  const auto members = ensemble.evaluate_members(x_, y_);
  for (const Combine combine : all_combines()) {
    SCOPED_TRACE(to_string(combine));
    const std::vector<double> by_size = ensemble.accuracy_by_size(x_, y_, combine);
    ASSERT_EQ(by_size.size(), 4u);
    EXPECT_EQ(by_size[0], members[0].accuracy);
    EXPECT_EQ(by_size[1], ensemble.evaluate(x_, y_, combine, 2).accuracy);
    EXPECT_EQ(by_size[3], ensemble.evaluate(x_, y_, combine).accuracy);
  }
}

}  // namespace
}  // namespace descent

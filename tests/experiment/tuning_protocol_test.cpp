// AlgoPerf's per-workload result, the median over studies of the best trial,
// on fixed tables worked out by hand.
#include "descent/experiment/tuning_protocol.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"
#include "descent/optim/registry.hpp"

namespace descent {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

TEST(TuningProtocolTest, MedianOverStudiesOfTheFastestTrial) {
  // Three studies of five trials, as AlgoPerf's external tuning ruleset:
  //   study 1: best 95 (trial 3); study 2: best 80 (trial 1); study 3: none.
  // Sorted per-study bests 80, 95, inf: the median is 95.
  const std::vector<std::vector<double>> times = {
      {inf, 120, 95, 200, inf}, {80, inf, inf, 150, 100}, {inf, inf, inf, inf, inf}};
  const TuningResult result = tuning_result(times);
  ASSERT_EQ(result.studies.size(), 3u);
  EXPECT_EQ(result.studies[0].trial, 2u);
  EXPECT_EQ(result.studies[0].time, 95);
  EXPECT_EQ(result.studies[1].trial, 0u);
  EXPECT_EQ(result.studies[1].time, 80);
  EXPECT_EQ(result.studies[2].time, inf);
  EXPECT_EQ(result.time, 95);
}

TEST(TuningProtocolTest, InfinitiesTakePartInTheMedian) {
  // Bests 95, inf, inf: the median is inf, the workload is not reached.
  EXPECT_EQ(tuning_result({{95, inf}, {inf}, {inf, inf}}).time, inf);
  // Even count, as numpy.median: bests 10, 20, inf, 5 -> (10 + 20) / 2.
  EXPECT_EQ(tuning_result({{10}, {20, 30}, {inf}, {5}}).time, 15);
  // One study: its best trial.
  EXPECT_EQ(tuning_result({{7, 3, 9}}).time, 3);
}

TEST(TuningProtocolTest, BadTablesAreOneLineConfigErrors) {
  using testing::throws_with;
  EXPECT_TRUE(throws_with<ConfigError>([] { tuning_result({}); }, {"no studies"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [] {
        tuning_result({{1}, {}});
      },
      {"study 2 has no trials"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [] {
        tuning_result({{1, std::numeric_limits<double>::quiet_NaN()}});
      },
      {"study 1, trial 2", "nan"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { tuning_result({{0}}); }, {"study 1, trial 1"}));
}

TEST(TuningStudiesTest, TrialRatesAreLogUniformInTheRangeAndTheSameForEveryRun) {
  const std::vector<double> lrs = trial_learning_rates(1e-4, 1e-2, 1, 200);
  ASSERT_EQ(lrs.size(), 200u);
  std::size_t low_decade = 0;
  for (double lr : lrs) {
    EXPECT_GE(lr, 1e-4);
    EXPECT_LE(lr, 1e-2);
    low_decade += lr < 1e-3;
  }
  // log-uniform: about half of the draws in each decade (binomial sd 7).
  EXPECT_GT(low_decade, 65u);
  EXPECT_LT(low_decade, 135u);
  EXPECT_EQ(trial_learning_rates(1e-4, 1e-2, 1, 200), lrs);
  EXPECT_NE(trial_learning_rates(1e-4, 1e-2, 2, 200), lrs);
  // The same draws u in another range: lr / low is (high / low)^u.
  const std::vector<double> other = trial_learning_rates(1e-3, 1e-1, 1, 200);
  for (std::size_t i = 0; i < lrs.size(); ++i) EXPECT_NEAR(other[i] / lrs[i], 10, 1e-9);
  EXPECT_EQ(trial_learning_rates(0.5, 0.5, 3, 2), (std::vector<double>{0.5, 0.5}));
  EXPECT_THROW(trial_learning_rates(0, 1, 1, 1), ConfigError);
  EXPECT_THROW(trial_learning_rates(1, 0.5, 1, 1), ConfigError);
  EXPECT_THROW(trial_learning_rates(1e-3, 1e-2, 1, 0), ConfigError);
}

TEST(TuningStudiesTest, EachStudyIsAGroupWithItsSeedAndDrawnRates) {
  GroupSpec grid;
  grid.name = "grid";
  grid.learning_rates = {1e-4, 1e-3, 1e-2};
  grid.optimizers = {{"sgd", {}, {}}, {"adam", {}, {0.001}}, {"lbfgs", {}, {}}};
  const std::vector<GroupSpec> studies = tuning_studies(grid, 3, 4);
  ASSERT_EQ(studies.size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    const GroupSpec& study = studies[j];
    EXPECT_EQ(study.name, "study-" + std::to_string(j + 1));
    EXPECT_EQ(study.study, j + 1);
    EXPECT_EQ(study.seeds, (std::vector<std::uint64_t>{j}));
    EXPECT_EQ(study.kind, GroupKind::lr_sweep);
    // sgd: the grid's range; adam: a decade either side of its one rate.
    EXPECT_EQ(study.optimizers[0].learning_rates, trial_learning_rates(1e-4, 1e-2, j + 1, 4));
    EXPECT_EQ(study.optimizers[1].learning_rates, trial_learning_rates(1e-4, 1e-2, j + 1, 4));
    // lbfgs chooses its own steps: one run.
    EXPECT_EQ(study.optimizers[2].learning_rates.size(), 1u);
  }
  grid.learning_rates.clear();
  grid.optimizers = {{"adam", {}, {}}};
  const double adam = default_learning_rate("adam");
  EXPECT_EQ(tuning_studies(grid, 1, 2)[0].optimizers[0].learning_rates,
            trial_learning_rates(adam / 10, adam * 10, 1, 2));
  EXPECT_THROW(tuning_studies(grid, 0, 2), ConfigError);
  EXPECT_THROW(tuning_studies(grid, 2, 0), ConfigError);
}

TEST(TuningStudiesTest, StudiesExpandIntoRunsWithTheirSeed) {
  GroupSpec grid;
  grid.name = "grid";
  grid.optimizers = {{"sgd", {}, {}}};
  grid.learning_rates = {1e-3, 1e-1};
  Experiment experiment;
  experiment.name = "tuning";
  experiment.seeds = {7};
  experiment.groups = tuning_studies(grid, 2, 3);
  experiment.validate();
  const std::vector<RunSpec> study2 = expand_group(experiment, experiment.groups[1]);
  ASSERT_EQ(study2.size(), 3u);
  for (const RunSpec& run : study2) EXPECT_EQ(run.config.seed, 1u);
  const auto json = to_json(experiment);
  EXPECT_EQ(json["groups"][1]["study"], 2);
  EXPECT_EQ(json["groups"][1]["seeds"], nlohmann::json::array({1}));
}

}  // namespace
}  // namespace descent

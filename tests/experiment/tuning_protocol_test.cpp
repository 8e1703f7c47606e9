// AlgoPerf's per-workload result, the median over studies of the best trial,
// on fixed tables worked out by hand.
#include "descent/experiment/tuning_protocol.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

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

}  // namespace
}  // namespace descent

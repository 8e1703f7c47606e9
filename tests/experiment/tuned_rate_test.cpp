// Each optimizer's best rate by the mean over seeds.
#include "descent/experiment/tuned_rate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace descent {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

TEST(TunedRateTest, SpreadsGroupTheSeedsOfEachOptimizerAndRate) {
  const std::vector<SeedRun> runs = {
      {"sgd", 0.1, 0.8}, {"sgd", 0.01, 0.86}, {"sgd", 0.1, 0.9}, {"sgd", 0.01, 0.86}};
  const std::vector<RateSpread> rates = spreads_by_rate(runs);
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_EQ(rates[0].lr, 0.1);
  EXPECT_EQ(rates[0].spread.n, 2u);
  EXPECT_DOUBLE_EQ(rates[0].spread.mean, 0.85);
  EXPECT_EQ(rates[1].lr, 0.01);
  EXPECT_DOUBLE_EQ(rates[1].spread.mean, 0.86);
  EXPECT_EQ(rates[1].spread.sd, 0);
}

TEST(TunedRateTest, BestRateByTheMeanNotByTheLuckiestSeed) {
  // sgd: 0.1 has the best single seed (0.90) but mean 0.85 < 0.86 of 0.01.
  // adam: 1e-3 has a seed without a result (NaN): it ranks below 1e-4.
  const std::vector<SeedRun> runs = {{"sgd", 0.1, 0.8},   {"sgd", 0.1, 0.9},    {"sgd", 0.01, 0.86},
                                     {"sgd", 0.01, 0.86}, {"adam", 1e-3, 0.95}, {"adam", 1e-3, nan},
                                     {"adam", 1e-4, 0.7}, {"adam", 1e-4, 0.72}};
  const std::vector<RateSpread> best = best_rates(runs, /*higher_is_better=*/true);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].optimizer, "sgd");
  EXPECT_EQ(best[0].lr, 0.01);
  EXPECT_EQ(best[1].optimizer, "adam");
  EXPECT_EQ(best[1].lr, 1e-4);
  EXPECT_DOUBLE_EQ(best[1].spread.mean, 0.71);
}

TEST(TunedRateTest, LowerIsBetterForTimesAndTiesGoToTheRateNamedFirst) {
  // momentum 0.01 is faster on one seed but never reaches on the other.
  const std::vector<SeedRun> times = {{"momentum", 0.1, 100}, {"momentum", 0.1, 120},
                                      {"momentum", 0.01, 90}, {"momentum", 0.01, inf},
                                      {"adam", 1e-3, 50},     {"adam", 3e-3, 50}};
  const std::vector<RateSpread> best = best_rates(times, /*higher_is_better=*/false);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].lr, 0.1);
  EXPECT_DOUBLE_EQ(best[0].spread.mean, 110);
  EXPECT_EQ(best[1].lr, 1e-3);
}

}  // namespace
}  // namespace descent

// Mean and spread over seeds: values by hand, Student's t against its closed
// forms and printed tables, per-epoch bands from known seeds, the tie rule.
#include "descent/experiment/spread.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"
#include "descent/experiment/epoch_metric.hpp"

namespace descent {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

TEST(SpreadTest, MeanSampleDeviationAndStudentInterval) {
  // 1, 2, 3, 4: mean 2.5, s^2 = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; the
  // interval 2.5 -+ t_{0.975,3} s / 2 with t_{0.975,3} = 3.182446 (tables).
  const std::vector<double> values = {1, 2, 3, 4};
  const Spread s = spread_of(values);
  EXPECT_EQ(s.n, 4u);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.sd, std::sqrt(5.0 / 3.0));
  EXPECT_NEAR(s.ci95_low, 2.5 - 3.182446 * std::sqrt(5.0 / 3.0) / 2, 1e-6);
  EXPECT_NEAR(s.ci95_high, 2.5 + 3.182446 * std::sqrt(5.0 / 3.0) / 2, 1e-6);
}

TEST(SpreadTest, OneSeedHasNoSpreadAndUnreachedTargetsMakeTheMeanInfinite) {
  const std::vector<double> one = {0.9};
  const Spread single = spread_of(one);
  EXPECT_EQ(single.mean, 0.9);
  EXPECT_TRUE(std::isnan(single.sd));
  EXPECT_TRUE(std::isnan(single.ci95_low) && std::isnan(single.ci95_high));

  EXPECT_TRUE(std::isnan(spread_of({}).mean));
  EXPECT_EQ(spread_of({}).n, 0u);

  const std::vector<double> times = {120, inf, 100};
  const Spread unreached = spread_of(times);
  EXPECT_EQ(unreached.mean, inf);
  EXPECT_TRUE(std::isnan(unreached.sd));
}

TEST(SpreadTest, StudentQuantileMatchesClosedFormsAndTables) {
  // dof 1 (Cauchy): P(|T| <= t) = 2 atan(t) / pi = 0.95, t = tan(0.475 pi).
  EXPECT_NEAR(student_t_975(1), std::tan(0.475 * std::numbers::pi), 1e-9);
  // dof 2: P(|T| <= t) = t / sqrt(2 + t^2) = 0.95, t^2 = 2 * 0.9025 / 0.0975.
  EXPECT_NEAR(student_t_975(2), std::sqrt(2 * 0.9025 / 0.0975), 1e-12);
  // NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2, column 0.975
  // (three decimals).
  const std::pair<std::size_t, double> table[] = {{3, 3.182},  {4, 2.776},  {5, 2.571},  {9, 2.262},
                                                  {10, 2.228}, {30, 2.042}, {100, 1.984}};
  for (const auto& [dof, t] : table) EXPECT_NEAR(student_t_975(dof), t, 5e-4) << "dof " << dof;
  // Many degrees of freedom: the normal quantile z_{0.975} = 1.959964.
  EXPECT_NEAR(student_t_975(100000), 1.959964, 1e-4);
  EXPECT_TRUE(testing::throws_with<ConfigError>([] { student_t_975(0); }, {"degrees of freedom"}));
}

TEST(SpreadTest, BandPerEpochOverTheSeedsThatHaveAValue) {
  // Seed 2 ended after two epochs; seed 3 diverged (NaN) at epoch 2.
  const std::vector<std::vector<double>> curves = {{1, 2, 3}, {3, 4}, {2, nan, 5}};
  const std::vector<Spread> band = seed_band(curves);
  ASSERT_EQ(band.size(), 3u);
  // Epoch 1: 1, 3, 2. Epoch 2: 2, 4. Epoch 3: 3, 5.
  EXPECT_EQ(band[0].n, 3u);
  EXPECT_DOUBLE_EQ(band[0].mean, 2);
  EXPECT_DOUBLE_EQ(band[0].sd, 1);
  EXPECT_EQ(band[1].n, 2u);
  EXPECT_DOUBLE_EQ(band[1].mean, 3);
  EXPECT_DOUBLE_EQ(band[1].sd, std::sqrt(2.0));
  EXPECT_EQ(band[2].n, 2u);
  EXPECT_DOUBLE_EQ(band[2].mean, 4);
  EXPECT_DOUBLE_EQ(band[2].sd, std::sqrt(2.0));
}

TEST(SpreadTest, BandOfValidationAccuracyOverThreeSeedsHistories) {
  // Seeds 0, 1, 2 of one configuration, two epochs each: val_acc 0.5 + 0.1 s
  // then 0.8 + 0.05 s. Epoch 1: 0.5, 0.6, 0.7 (mean 0.6, sd 0.1); epoch 2:
  // 0.8, 0.85, 0.9 (mean 0.85, sd 0.05).
  std::vector<std::vector<double>> curves;
  for (int s = 0; s < 3; ++s) {
    std::vector<EpochRecord> epochs(2);
    epochs[0].val_accuracy = 0.5 + 0.1 * s;
    epochs[1].val_accuracy = 0.8 + 0.05 * s;
    epochs[1].val_loss = 1;  // another metric, not in the curve
    curves.push_back(values_of(epochs, EpochMetric::val_acc));
  }
  const std::vector<Spread> band = seed_band(curves);
  ASSERT_EQ(band.size(), 2u);
  EXPECT_NEAR(band[0].mean, 0.6, 1e-15);
  EXPECT_NEAR(band[0].sd, 0.1, 1e-15);
  EXPECT_NEAR(band[1].mean, 0.85, 1e-15);
  EXPECT_NEAR(band[1].sd, 0.05, 1e-15);
}

Spread spread(double mean, double sd) {
  Spread s;
  s.mean = mean;
  s.sd = sd;
  return s;
}

TEST(SpreadTest, WithinEachOthersSpreadWhenTheBandsOverlap) {
  // |0.9 - 0.885| = 0.015: within 0.010 + 0.006, not within 0.010 + 0.004.
  EXPECT_TRUE(within_spread(spread(0.9, 0.01), spread(0.885, 0.006)));
  EXPECT_TRUE(within_spread(spread(0.885, 0.006), spread(0.9, 0.01)));
  EXPECT_FALSE(within_spread(spread(0.9, 0.01), spread(0.885, 0.004)));
  // One seed each: only equal means tie.
  EXPECT_TRUE(within_spread(spread(0.9, nan), spread(0.9, nan)));
  EXPECT_FALSE(within_spread(spread(0.9, nan), spread(0.89, nan)));
  // One seed against a spread: its sd alone decides.
  EXPECT_TRUE(within_spread(spread(0.9, nan), spread(0.895, 0.01)));
  // Two methods that never reached the target tie; one that did wins.
  EXPECT_TRUE(within_spread(spread(inf, nan), spread(inf, nan)));
  EXPECT_FALSE(within_spread(spread(inf, nan), spread(100, 5)));
}

}  // namespace
}  // namespace descent

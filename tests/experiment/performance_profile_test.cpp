// Performance profiles and AlgoPerf's integrated score on the hand-computed
// example: methods A, B, C on four problems.
#include "descent/experiment/performance_profile.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

namespace descent {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Times to target:        p1   p2   p3   p4
//   A                     10   20  inf   40
//   B                     12   10   30  100
//   C                     30   15   25   45
//   best                  10   10   25   40
// Ratios to the best:
//   A                      1    2  inf    1
//   B                    1.2    1  1.2  2.5
//   C                      3  1.5    1  1.125
const std::vector<std::vector<double>> kTimes = {
    {10, 20, inf, 40}, {12, 10, 30, 100}, {30, 15, 25, 45}};

TEST(PerformanceProfileTest, RatiosToTheFastestMethodPerProblem) {
  const auto r = performance_ratios(kTimes);
  const std::vector<std::vector<double>> expected = {
      {1, 2, inf, 1}, {1.2, 1, 1.2, 2.5}, {3, 1.5, 1, 1.125}};
  ASSERT_EQ(r.size(), 3u);
  for (std::size_t m = 0; m < 3; ++m) {
    for (std::size_t p = 0; p < 4; ++p) EXPECT_DOUBLE_EQ(r[m][p], expected[m][p]) << m << p;
  }
}

TEST(PerformanceProfileTest, ScoresAreTheExactNormalizedIntegralUpToTauFour) {
  // B = 1/3 integral_1^4 rho(tau) dtau, rho a step function:
  //   A: rho = 2/4 on [1, 2), 3/4 on [2, 4]:
  //      (0.5 * 1 + 0.75 * 2) / 3 = 2 / 3 = 0.666667
  //   B: rho = 1/4 on [1, 1.2), 3/4 on [1.2, 2.5), 1 on [2.5, 4]:
  //      (0.25 * 0.2 + 0.75 * 1.3 + 1 * 1.5) / 3 = 2.525 / 3 = 0.841667
  //   C: rho = 1/4 on [1, 1.125), 2/4 on [1.125, 1.5), 3/4 on [1.5, 3), 1 on [3, 4]:
  //      (0.25 * 0.125 + 0.5 * 0.375 + 0.75 * 1.5 + 1 * 1) / 3 = 2.34375 / 3 = 0.781250
  const auto r = performance_ratios(kTimes);
  EXPECT_NEAR(profile_score(r[0]), 0.666667, 5e-7);
  EXPECT_NEAR(profile_score(r[1]), 0.841667, 5e-7);
  EXPECT_NEAR(profile_score(r[2]), 0.781250, 5e-7);
  EXPECT_DOUBLE_EQ(profile_score(r[0]), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(profile_score(r[1]), 2.525 / 3.0);
  EXPECT_DOUBLE_EQ(profile_score(r[2]), 2.34375 / 3.0);
}

TEST(PerformanceProfileTest, RhoIsTheFractionOfProblemsWithinTau) {
  const auto r = performance_ratios(kTimes);
  EXPECT_EQ(profile_at(r[0], 1), 0.5);
  EXPECT_EQ(profile_at(r[0], 1.99), 0.5);
  EXPECT_EQ(profile_at(r[0], 2), 0.75);    // r <= tau: the step is taken at tau = r
  EXPECT_EQ(profile_at(r[0], 1e9), 0.75);  // never reached: never counted
  EXPECT_EQ(profile_at(r[1], 2.5), 1.0);
}

TEST(PerformanceProfileTest, StepsStartAtOneAndEndAtTauMax) {
  const auto r = performance_ratios(kTimes);
  const std::vector<ProfilePoint> c = profile_steps(r[2]);
  const std::vector<ProfilePoint> expected = {{1, 0.25}, {1.125, 0.5}, {1.5, 0.75}, {3, 1}, {4, 1}};
  ASSERT_EQ(c.size(), expected.size());
  for (std::size_t k = 0; k < c.size(); ++k) {
    EXPECT_DOUBLE_EQ(c[k].tau, expected[k].tau);
    EXPECT_EQ(c[k].rho, expected[k].rho);
  }
  // B's two problems at ratio 1.2 make one step; 2.5 is inside [1, 4].
  EXPECT_EQ(profile_steps(r[1]).size(), 4u);
}

TEST(PerformanceProfileTest, MoreThanFourTimesSlowerEarnsNothingAsNeverReaching) {
  // A is 5 times slower than B on the second problem: as if it never got there.
  const auto slow = performance_ratios({{1, 50}, {2, 10}});
  const auto never = performance_ratios({{1, inf}, {2, 10}});
  EXPECT_EQ(profile_score(slow[0]), profile_score(never[0]));
  EXPECT_EQ(profile_score(slow[0]), 0.5);
  // B: ratio 2 on the first problem, 1 on the second: (2 + 3) / 3 / 2.
  EXPECT_DOUBLE_EQ(profile_score(slow[1]), 5.0 / 6.0);
  // Fastest everywhere: score 1.
  const std::vector<double> fastest = {1, 1, 1};
  EXPECT_EQ(profile_score(fastest), 1.0);
}

TEST(PerformanceProfileTest, AProblemNoMethodReachedCountsAndGivesNothing) {
  const auto r = performance_ratios({{10, inf}, {20, inf}});
  EXPECT_EQ(r[0][1], inf);
  EXPECT_EQ(r[1][1], inf);
  EXPECT_EQ(profile_score(r[0]), 0.5);
  EXPECT_EQ(profile_score(r[1]), (4.0 - 2.0) / 3.0 / 2.0);
}

TEST(PerformanceProfileTest, BadTablesAreOneLineConfigErrors) {
  using testing::throws_with;
  EXPECT_TRUE(throws_with<ConfigError>([] { performance_ratios({}); }, {"at least one method"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [] {
        performance_ratios({{1, 2}, {1}});
      },
      {"method 2 has 1 times, method 1 has 2"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [] {
        performance_ratios({{1, 0}});
      },
      {"method 1, problem 2: time 0"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [] { performance_ratios({{std::numeric_limits<double>::quiet_NaN()}}); },
      {"problem 1: time nan"}));
  EXPECT_TRUE(throws_with<ConfigError>([] { profile_score({}); }, {"no problems"}));
  const std::vector<double> ratios = {1};
  EXPECT_TRUE(throws_with<ConfigError>([&] { profile_score(ratios, 1); }, {"tau_max"}));
}

}  // namespace
}  // namespace descent

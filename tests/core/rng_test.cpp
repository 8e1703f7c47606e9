#include "descent/core/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "descent/core/error.hpp"

namespace descent {
namespace {

TEST(Rng, SameSeedSameNumbersOtherSeedOthers) {
  Rng a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    EXPECT_NE(x, c.next_u64());
  }
}

TEST(Rng, SavedStateContinuesTheSameStream) {
  Rng rng(42);
  for (int i = 0; i < 10; ++i) rng.normal();
  const std::string state = rng.save();
  std::vector<double> expected;
  for (int i = 0; i < 50; ++i) expected.push_back(rng.uniform());
  Rng restored(0);
  restored.load(state);
  for (double x : expected) EXPECT_EQ(x, restored.uniform());
}

TEST(Rng, LoadRejectsGarbage) {
  Rng rng;
  EXPECT_THROW(rng.load("not a state"), FormatError);
}

TEST(Rng, UniformAndNormalHaveTheirMoments) {
  Rng rng(3);
  const int n = 200000;
  double sum_u = 0, sum_z = 0, sum_z2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum_u += u;
    const double z = rng.normal();
    sum_z += z;
    sum_z2 += z * z;
  }
  EXPECT_NEAR(sum_u / n, 0.5, 0.005);
  EXPECT_NEAR(sum_z / n, 0.0, 0.01);
  EXPECT_NEAR(sum_z2 / n, 1.0, 0.02);
}

TEST(Rng, BelowIsInRangeAndCoversIt) {
  Rng rng(5);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const auto k = rng.below(7);
    ASSERT_LT(k, 7u);
    ++counts[k];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

TEST(Rng, ShuffleIsAPermutationAndDependsOnTheSeed) {
  std::vector<std::uint32_t> a(100), b(100);
  std::iota(a.begin(), a.end(), 0u);
  std::iota(b.begin(), b.end(), 0u);
  Rng r1(1), r2(2);
  r1.shuffle(a);
  r2.shuffle(b);
  EXPECT_NE(a, b);
  std::vector<std::uint32_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint32_t i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
}

}  // namespace
}  // namespace descent

// NumPy's legacy RandomState against NumPy's own draws
// (tests/nn/reference/make_quadratic_reference.py, RandomState(7)).
#include "descent/core/numpy_random.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/reference_data.hpp"

namespace descent {
namespace {

// Every draw is the same double as NumPy's, bit for bit: random_sample is
// exact arithmetic on the engine's words, and the polar method uses the same
// sqrt and log.
TEST(NumpyRandomState, DrawsNumpysNumbersBitForBit) {
  const nlohmann::json ref = testing::quadratic_reference();
  NumpyRandomState rng(7);
  for (const double expected : ref.at("seed7_random_sample").get<std::vector<double>>()) {
    EXPECT_EQ(rng.random_sample(), expected);
  }
  // Five normals: the fifth comes from a new pair whose other half is kept,
  // so the uniform after it must skip the kept value, not draw from it.
  for (const double expected : ref.at("seed7_standard_normal").get<std::vector<double>>()) {
    EXPECT_EQ(rng.standard_normal(), expected);
  }
  EXPECT_EQ(rng.uniform(-2.0, 3.0), ref.at("seed7_uniform_after").get<double>());
}

// normal(loc, scale) is loc + scale * the next standard normal, and the
// second of a pair is the kept f * x1.
TEST(NumpyRandomState, NormalScalesTheStandardOneAndKeepsTheSecondOfAPair) {
  NumpyRandomState a(11);
  NumpyRandomState b(11);
  const double first = a.standard_normal();
  const double second = a.standard_normal();
  EXPECT_EQ(b.normal(1.5, 0.25), 1.5 + 0.25 * first);
  EXPECT_EQ(b.normal(0.0, 2.0), 2.0 * second);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace descent

// introsort_argsort against numpy.argsort (reference/sfo/numpy_argsort.json,
// made by make_numpy_argsort.py): the same permutation, ties included.
#include "descent/optim/introsort_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

namespace descent {
namespace {

TEST(IntrosortOrder, IsNumpysArgsort) {
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/optim/reference/sfo/numpy_argsort.json");
  ASSERT_TRUE(in) << "reference data missing";
  const auto reference = nlohmann::json::parse(in);
  std::size_t with_ties = 0;
  for (const auto& c : reference["cases"]) {
    const auto values = c["values"].get<std::vector<double>>();
    const auto expected = c["order"].get<std::vector<std::size_t>>();
    std::vector<std::size_t> order(values.size());
    introsort_argsort(values, order);
    EXPECT_EQ(order, expected) << values.size() << " values";
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return values[a] < values[b];
    }));
    // A stable sort would list equal values by index; numpy's does not, always.
    std::vector<std::size_t> stable(values.size());
    for (std::size_t i = 0; i < stable.size(); ++i) stable[i] = i;
    std::stable_sort(stable.begin(), stable.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    with_ties += stable != expected ? 1 : 0;
  }
  EXPECT_GT(with_ties, 0u);
}

}  // namespace
}  // namespace descent

// The noisy quadratic's samples against NumPy's RandomState draws
// (tests/nn/reference/make_quadratic_reference.py), and its splits.
#include "descent/data/noisy_quadratic.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "support/reference_data.hpp"

namespace descent {
namespace {

DataOptions quadratic_options() {
  DataOptions options;
  options.kind = DatasetKind::NoisyQuadratic;
  options.validation_size = 1000;
  return options;
}

// float32 of the same doubles: equal, value by value.
TEST(NoisyQuadratic, SplitsAreNumpysDraws) {
  const nlohmann::json ref = testing::quadratic_reference();
  const DataSplits splits = load_splits(quadratic_options());
  ASSERT_EQ(splits.train.features.rows(), 1000);
  ASSERT_EQ(splits.train.features.cols(), 100);
  ASSERT_EQ(splits.test.features.rows(), 1000);
  ASSERT_EQ(splits.validation.features.rows(), 1000);
  const auto train_row = ref.at("train_first_row").get<std::vector<double>>();
  const auto test_row = ref.at("test_first_row").get<std::vector<double>>();
  for (Eigen::Index j = 0; j < 100; ++j) {
    EXPECT_EQ(splits.train.features(0, j),
              static_cast<float>(train_row[static_cast<std::size_t>(j)]));
    EXPECT_EQ(splits.test.features(0, j),
              static_cast<float>(test_row[static_cast<std::size_t>(j)]));
  }
  EXPECT_EQ(splits.train.features(999, 99),
            static_cast<float>(ref.at("train_last_value").get<double>()));
  EXPECT_NEAR(splits.train.features.cast<double>().sum(), ref.at("train_sum").get<double>(), 1e-9);
  // The validation set is a third draw, not a copy of either.
  EXPECT_NE(splits.validation.features(0, 0), splits.train.features(0, 0));
  EXPECT_NE(splits.validation.features(0, 0), splits.test.features(0, 0));
  // No classes: every label 0; nothing subtracted.
  EXPECT_EQ(splits.train.num_classes, 1);
  EXPECT_EQ(std::count(splits.train.labels.begin(), splits.train.labels.end(), 0), 1000);
  EXPECT_EQ(splits.mean.cwiseAbs().maxCoeff(), 0.0f);
  // N(0, 0.6^2): the sample standard deviation of 100,000 values within 1%.
  const double sd = std::sqrt(splits.train.features.cast<double>().array().square().mean());
  EXPECT_NEAR(sd, 0.6, 0.006);
}

TEST(NoisyQuadratic, TrainSizeKeepsTheFirstRowsAndBadSizesAreRefused) {
  DataOptions options = quadratic_options();
  options.train_size = 300;
  const DataSplits full = load_splits(quadratic_options());
  const DataSplits part = load_splits(options);
  ASSERT_EQ(part.train.size(), 300u);
  EXPECT_EQ(part.train.features, full.train.features.topRows(300));
  options.train_size = 1001;
  EXPECT_THROW(load_splits(options), ConfigError);
  options.train_size = 0;
  options.validation_size = 0;
  EXPECT_THROW(load_splits(options), ConfigError);
  EXPECT_EQ(parse_dataset_kind("noisy-quadratic"), DatasetKind::NoisyQuadratic);
  EXPECT_EQ(to_string(DatasetKind::NoisyQuadratic), "noisy-quadratic");
}

}  // namespace
}  // namespace descent

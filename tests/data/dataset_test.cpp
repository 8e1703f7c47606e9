// take_rows: row selection keeps features and labels together.
#include "descent/data/dataset.hpp"

#include <gtest/gtest.h>

#include <array>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

namespace descent {
namespace {

Dataset three_samples() {
  Dataset data;
  data.features.resize(3, 2);
  data.features << 0.0f, 0.5f,  //
      1.0f, 1.5f,               //
      2.0f, 2.5f;
  data.labels = {4, 5, 6};
  data.num_classes = 7;
  return data;
}

TEST(TakeRows, CopiesRowsAndLabelsInTheGivenOrder) {
  const Dataset data = three_samples();
  const std::array<std::uint32_t, 4> indices = {2, 0, 2, 1};
  const Dataset taken = take_rows(data, indices);
  ASSERT_EQ(taken.size(), 4u);
  ASSERT_EQ(taken.dim(), 2u);
  EXPECT_EQ(taken.num_classes, 7);
  EXPECT_EQ(taken.labels, (std::vector<std::int32_t>{6, 4, 6, 5}));
  for (std::size_t row = 0; row < indices.size(); ++row) {
    EXPECT_EQ(taken.features(static_cast<Eigen::Index>(row), 0), static_cast<float>(indices[row]));
    EXPECT_EQ(taken.features(static_cast<Eigen::Index>(row), 1), indices[row] + 0.5f);
  }
}

TEST(TakeRows, SoftLabelsFollowTheirRows) {
  Dataset data = three_samples();
  EXPECT_EQ(take_rows(data, std::array<std::uint32_t, 1>{0}).soft_labels.size(), 0);
  data.soft_labels = Matrix::Zero(3, 7);
  for (Eigen::Index i = 0; i < 3; ++i) data.soft_labels(i, i) = 1.0f;
  const std::array<std::uint32_t, 3> indices = {1, 2, 1};
  const Dataset taken = take_rows(data, indices);
  ASSERT_EQ(taken.soft_labels.rows(), 3);
  ASSERT_EQ(taken.soft_labels.cols(), 7);
  for (std::size_t row = 0; row < indices.size(); ++row) {
    EXPECT_EQ(taken.soft_labels.row(static_cast<Eigen::Index>(row)),
              data.soft_labels.row(indices[row]));
  }
}

TEST(TakeRows, NoIndicesGiveAnEmptySetOfTheSameWidth) {
  const Dataset taken = take_rows(three_samples(), {});
  EXPECT_EQ(taken.size(), 0u);
  EXPECT_EQ(taken.features.rows(), 0);
  EXPECT_EQ(taken.dim(), 2u);
}

TEST(TakeRows, RejectsAnIndexPastTheEnd) {
  const Dataset data = three_samples();
  const std::array<std::uint32_t, 2> indices = {1, 3};
  EXPECT_TRUE(testing::throws_with<ShapeError>([&] { take_rows(data, indices); },
                                               {"index 3", "3 samples"}));
}

}  // namespace
}  // namespace descent

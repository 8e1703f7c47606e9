// Data set names, file discovery, the seeded train/validation/test split and
// its normalizations (the training mean removed by default).
#include "descent/data/sources.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"

namespace descent {
namespace {

using testing::make_idx;
using testing::TempDir;
using testing::throws_with;
using testing::write_bytes;
using testing::write_gzip;

TEST(DatasetKind, NamesRoundTrip) {
  for (const char* name : {"fashion-mnist", "mnist", "cifar10", "csv"}) {
    EXPECT_EQ(to_string(parse_dataset_kind(name)), name);
  }
  EXPECT_EQ(parse_dataset_kind("cifar10"), DatasetKind::Cifar10);
  EXPECT_EQ(parse_dataset_kind("fashion-mnist"), DatasetKind::FashionMnist);
}

TEST(DatasetKind, RejectsAnUnknownName) {
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_dataset_kind("Fashion-MNIST"); },
                                       {"'Fashion-MNIST'", "fashion-mnist, mnist, cifar10, csv"}));
}

TEST(DatasetKind, DefaultFolders) {
  EXPECT_EQ(default_data_dir(DatasetKind::FashionMnist), "/usr/share/datasets/fashion-mnist");
  EXPECT_EQ(default_data_dir(DatasetKind::Mnist), "/usr/share/datasets/mnist");
  EXPECT_EQ(default_data_dir(DatasetKind::Cifar10), "/usr/share/datasets/cifar10");
  EXPECT_EQ(default_data_dir(DatasetKind::Csv), ".");
}

// A CSV data set in a temporary folder. Training sample i has label i % 3 and
// features (i, 2i + 1), so a row's first feature plus the mean identifies it.
class CsvSplitTest : public ::testing::Test {
 protected:
  static constexpr int kTrainRows = 40;

  void SetUp() override {
    std::string train = "label,id,twice\n";
    for (int i = 0; i < kTrainRows; ++i) {
      train +=
          std::to_string(i % 3) + "," + std::to_string(i) + "," + std::to_string(2 * i + 1) + "\n";
    }
    write_bytes(dir_.path() / "train.csv", train);
    write_bytes(dir_.path() / "test.csv", "1,100,0\n4,-100,0\n");
    options_.kind = DatasetKind::Csv;
    options_.data_dir = dir_.path();
    options_.validation_size = 10;
    options_.seed = 7;
  }

  // The training sample ids of the rows of `data`, undoing the mean.
  static std::vector<int> ids(const Dataset& data, const RowVector& mean) {
    std::vector<int> result;
    for (Eigen::Index row = 0; row < data.features.rows(); ++row) {
      result.push_back(static_cast<int>(std::lround(data.features(row, 0) + mean[0])));
    }
    return result;
  }

  TempDir dir_;
  DataOptions options_;
};

TEST_F(CsvSplitTest, SplitSizesAndClasses) {
  const DataSplits splits = load_splits(options_);
  EXPECT_EQ(splits.train.size(), 30u);
  EXPECT_EQ(splits.validation.size(), 10u);
  EXPECT_EQ(splits.test.size(), 2u);
  EXPECT_EQ(splits.train.dim(), 2u);
  EXPECT_EQ(splits.mean.size(), 2);
  // The test file's label 4 raises every split to 5 classes.
  EXPECT_EQ(splits.train.num_classes, 5);
  EXPECT_EQ(splits.validation.num_classes, 5);
  EXPECT_EQ(splits.test.num_classes, 5);
}

TEST_F(CsvSplitTest, ValidationIsTheHeadOfTheSeededPermutation) {
  const DataSplits splits = load_splits(options_);
  std::vector<std::uint32_t> order(kTrainRows);
  std::iota(order.begin(), order.end(), 0u);
  Rng rng(options_.seed);
  rng.shuffle(order);
  const std::vector<int> expected_validation(order.begin(), order.begin() + 10);
  const std::vector<int> expected_train(order.begin() + 10, order.end());
  EXPECT_EQ(ids(splits.validation, splits.mean), expected_validation);
  EXPECT_EQ(ids(splits.train, splits.mean), expected_train);
  for (std::size_t row = 0; row < splits.train.size(); ++row) {
    EXPECT_EQ(splits.train.labels[row], expected_train[row] % 3);
  }
}

TEST_F(CsvSplitTest, SplitsPartitionTheTrainingFile) {
  const DataSplits splits = load_splits(options_);
  std::vector<int> all = ids(splits.train, splits.mean);
  const std::vector<int> validation = ids(splits.validation, splits.mean);
  all.insert(all.end(), validation.begin(), validation.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected(kTrainRows);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);
}

TEST_F(CsvSplitTest, SameSeedSameSplitOtherSeedOtherSplit) {
  const DataSplits first = load_splits(options_);
  const DataSplits again = load_splits(options_);
  EXPECT_EQ(ids(first.validation, first.mean), ids(again.validation, again.mean));
  EXPECT_EQ(ids(first.train, first.mean), ids(again.train, again.mean));
  EXPECT_EQ(first.train.features, again.train.features);
  options_.seed = 8;
  const DataSplits other = load_splits(options_);
  EXPECT_NE(ids(first.validation, first.mean), ids(other.validation, other.mean));
}

TEST_F(CsvSplitTest, SubtractsTheTrainingMeanFromEverySplit) {
  const DataSplits splits = load_splits(options_);
  const std::vector<int> train_ids = ids(splits.train, splits.mean);
  double id_sum = 0.0;
  for (const int id : train_ids) id_sum += id;
  const double id_mean = id_sum / static_cast<double>(train_ids.size());
  EXPECT_NEAR(splits.mean[0], id_mean, 1e-5);
  EXPECT_NEAR(splits.mean[1], 2.0 * id_mean + 1.0, 1e-5);
  const RowVector train_mean = splits.train.features.colwise().mean();
  EXPECT_NEAR(train_mean[0], 0.0f, 1e-5);
  EXPECT_NEAR(train_mean[1], 0.0f, 1e-5);
  // Test rows were (100, 0) and (-100, 0).
  EXPECT_NEAR(splits.test.features(0, 0), 100.0f - splits.mean[0], 1e-5);
  EXPECT_NEAR(splits.test.features(1, 1), -splits.mean[1], 1e-5);
  const std::vector<int> validation_ids = ids(splits.validation, splits.mean);
  EXPECT_NEAR(splits.validation.features(0, 1), 2.0 * validation_ids[0] + 1.0 - splits.mean[1],
              1e-5);
}

TEST_F(CsvSplitTest, NormalizationNoneKeepsTheValuesAsRead) {
  options_.normalization = Normalization::none;
  const DataSplits splits = load_splits(options_);
  EXPECT_EQ(splits.mean, RowVector::Zero(2));
  // Test rows were (100, 0) and (-100, 0); training rows (i, 2i + 1).
  EXPECT_EQ(splits.test.features(0, 0), 100.0f);
  EXPECT_EQ(splits.test.features(1, 0), -100.0f);
  for (Eigen::Index row = 0; row < splits.train.features.rows(); ++row) {
    EXPECT_EQ(splits.train.features(row, 1), 2.0f * splits.train.features(row, 0) + 1.0f);
  }
}

// TensorFlow's per_image_standardization: (x - mean) / max(stddev, 1 / sqrt(d))
// within each sample. The row (i, 2i + 1) has mean 1.5 i + 0.5 and standard
// deviation |i + 1| / 2 >= 1 / sqrt(2) but at i = 0, so it becomes (-1, 1)
// except row 0, (0, 1): (-0.5, 0.5) / (1 / sqrt(2)).
TEST_F(CsvSplitTest, NormalizationPerImageStandardizesEachSample) {
  options_.normalization = Normalization::per_image;
  const DataSplits splits = load_splits(options_);
  EXPECT_EQ(splits.mean, RowVector::Zero(2));
  for (const Dataset* data : {&splits.train, &splits.validation}) {
    for (Eigen::Index row = 0; row < data->features.rows(); ++row) {
      const bool first_row = data->features(row, 1) - data->features(row, 0) < 1.5f;
      const float expected = first_row ? 0.5f * std::sqrt(2.0f) : 1.0f;
      EXPECT_NEAR(data->features(row, 0), -expected, 1e-6) << row;
      EXPECT_NEAR(data->features(row, 1), expected, 1e-6) << row;
    }
  }
  EXPECT_NEAR(splits.test.features(0, 0), 1.0f, 1e-6);
  EXPECT_NEAR(splits.test.features(1, 1), 1.0f, 1e-6);
}

TEST(Normalization, NamesRoundTrip) {
  for (const char* name : {"subtract-mean", "none", "per-image"}) {
    EXPECT_EQ(to_string(parse_normalization(name)), name);
  }
  EXPECT_TRUE(throws_with<ConfigError>([] { parse_normalization("mean"); },
                                       {"'mean'", "subtract-mean, none, per-image"}));
}

TEST_F(CsvSplitTest, TrainSizeKeepsTheHeadOfTheRemainingSamples) {
  const DataSplits full = load_splits(options_);
  options_.train_size = 12;
  const DataSplits subset = load_splits(options_);
  ASSERT_EQ(subset.train.size(), 12u);
  EXPECT_EQ(subset.validation.size(), 10u);
  const std::vector<int> full_ids = ids(full.train, full.mean);
  EXPECT_EQ(ids(subset.train, subset.mean),
            std::vector<int>(full_ids.begin(), full_ids.begin() + 12));
  EXPECT_EQ(ids(subset.validation, subset.mean), ids(full.validation, full.mean));
  // The mean is that of the 12 kept samples.
  const RowVector train_mean = subset.train.features.colwise().mean();
  EXPECT_NEAR(train_mean[0], 0.0f, 1e-5);
}

TEST_F(CsvSplitTest, TrainSizeAboveWhatRemainsIsAnError) {
  options_.train_size = 31;
  EXPECT_TRUE(throws_with<ConfigError>([&] { load_splits(options_); },
                                       {"train-size", "at most 30", "got 31"}));
  options_.train_size = 30;
  EXPECT_EQ(load_splits(options_).train.size(), 30u);
}

TEST_F(CsvSplitTest, ValidationSizeOfTheWholeFileIsAnError) {
  options_.validation_size = 40;
  EXPECT_TRUE(throws_with<ConfigError>([&] { load_splits(options_); },
                                       {"validation-size", "40 samples", "train.csv", "got 40"}));
  options_.validation_size = 39;
  EXPECT_EQ(load_splits(options_).train.size(), 1u);
}

TEST_F(CsvSplitTest, TestFileOfAnotherWidthIsAnError) {
  write_bytes(dir_.path() / "test.csv", "1,100,0,5\n");
  EXPECT_TRUE(throws_with<FormatError>([&] { load_splits(options_); },
                                       {"test.csv", "expected 2 features", "found 3"}));
}

TEST_F(CsvSplitTest, MissingTestFileIsAnIoError) {
  std::filesystem::remove(dir_.path() / "test.csv");
  EXPECT_TRUE(throws_with<IoError>([&] { load_splits(options_); }, {"test.csv"}));
}

// Writes an MNIST-style pair of n images of 2x2 whose pixels are all `pixel`.
void write_idx_pair(const std::filesystem::path& images, const std::filesystem::path& labels,
                    std::uint32_t n, std::uint8_t pixel, bool compressed) {
  std::vector<std::uint8_t> label_values(n);
  for (std::uint32_t i = 0; i < n; ++i) label_values[i] = static_cast<std::uint8_t>(i % 10);
  const std::string image_bytes = make_idx({n, 2, 2}, std::vector<std::uint8_t>(n * 4, pixel));
  const std::string label_bytes = make_idx({n}, label_values);
  if (compressed) {
    write_gzip(images, image_bytes);
    write_gzip(labels, label_bytes);
  } else {
    write_bytes(images, image_bytes);
    write_bytes(labels, label_bytes);
  }
}

TEST(LoadSplitsIdx, PrefersGzipFilesAndFallsBackToRawOnes) {
  const TempDir dir;
  // Compressed training files of 20 images, raw ones of 30 that must be ignored.
  write_idx_pair(dir.path() / "train-images-idx3-ubyte.gz",
                 dir.path() / "train-labels-idx1-ubyte.gz", 20, 51, true);
  write_idx_pair(dir.path() / "train-images-idx3-ubyte", dir.path() / "train-labels-idx1-ubyte", 30,
                 0, false);
  write_idx_pair(dir.path() / "t10k-images-idx3-ubyte", dir.path() / "t10k-labels-idx1-ubyte", 5,
                 102, false);
  DataOptions options;
  options.kind = DatasetKind::Mnist;
  options.data_dir = dir.path();
  options.validation_size = 4;
  const DataSplits splits = load_splits(options);
  EXPECT_EQ(splits.train.size(), 16u);
  EXPECT_EQ(splits.validation.size(), 4u);
  EXPECT_EQ(splits.test.size(), 5u);
  EXPECT_EQ(splits.train.dim(), 4u);
  EXPECT_EQ(splits.test.num_classes, 10);
  EXPECT_FLOAT_EQ(splits.mean[3], 0.2f);
  EXPECT_FLOAT_EQ(splits.test.features(4, 2), 0.2f);
  EXPECT_FLOAT_EQ(splits.validation.features(0, 0), 0.0f);
}

TEST(LoadSplitsIdx, MissingFileNamesBothCandidates) {
  const TempDir dir;
  write_idx_pair(dir.path() / "train-images-idx3-ubyte.gz",
                 dir.path() / "train-labels-idx1-ubyte.gz", 20, 1, true);
  write_idx_pair(dir.path() / "t10k-images-idx3-ubyte.gz", dir.path() / "x", 5, 1, true);
  DataOptions options;
  options.data_dir = dir.path();
  options.validation_size = 4;
  EXPECT_TRUE(
      throws_with<IoError>([&] { load_splits(options); },
                           {"fashion-mnist", (dir.path() / "t10k-labels-idx1-ubyte.gz").string(),
                            (dir.path() / "t10k-labels-idx1-ubyte").string()}));
}

TEST(LoadSplitsIdx, ImagesOfAnotherSizeInTheTestFileAreAnError) {
  const TempDir dir;
  write_idx_pair(dir.path() / "train-images-idx3-ubyte.gz",
                 dir.path() / "train-labels-idx1-ubyte.gz", 20, 1, true);
  write_gzip(dir.path() / "t10k-images-idx3-ubyte.gz",
             make_idx({1, 3, 3}, std::vector<std::uint8_t>(9)));
  write_gzip(dir.path() / "t10k-labels-idx1-ubyte.gz", make_idx({1}, {0}));
  DataOptions options;
  options.data_dir = dir.path();
  options.validation_size = 4;
  EXPECT_TRUE(throws_with<FormatError>([&] { load_splits(options); },
                                       {"t10k-images-idx3-ubyte.gz", "expected 4", "found 9"}));
}

TEST(LoadSplitsCifar10, FindsTheBatchesInTheArchiveFolder) {
  const TempDir dir;
  std::filesystem::create_directories(dir.path() / "cifar-10-batches-bin");
  for (int batch = 1; batch <= 6; ++batch) {
    const std::string name =
        batch <= 5 ? "data_batch_" + std::to_string(batch) + ".bin" : std::string("test_batch.bin");
    std::string records;
    for (int r = 0; r < 2; ++r) {
      std::string record(3073, static_cast<char>(batch));
      record[0] = static_cast<char>((batch + r) % 10);
      records += record;
    }
    write_bytes(dir.path() / "cifar-10-batches-bin" / name, records);
  }
  DataOptions options;
  options.kind = DatasetKind::Cifar10;
  options.data_dir = dir.path();
  options.validation_size = 3;
  options.seed = 1;
  const DataSplits splits = load_splits(options);
  EXPECT_EQ(splits.train.size(), 7u);
  EXPECT_EQ(splits.validation.size(), 3u);
  EXPECT_EQ(splits.test.size(), 2u);
  EXPECT_EQ(splits.test.dim(), 3072u);
  // Test pixels are 6/255 before the mean of training pixels from batches 1 to 5 is removed.
  EXPECT_NEAR(splits.test.features(0, 0) + splits.mean[0], 6.0f / 255.0f, 1e-6);
  EXPECT_GT(splits.mean[0], 1.0f / 255.0f);
  EXPECT_LT(splits.mean[0], 5.0f / 255.0f);
}

TEST(LoadSplitsCifar10, MissingBatchesNameBothFolders) {
  const TempDir dir;
  DataOptions options;
  options.kind = DatasetKind::Cifar10;
  options.data_dir = dir.path();
  EXPECT_TRUE(
      throws_with<IoError>([&] { load_splits(options); },
                           {(dir.path() / "data_batch_1.bin").string(),
                            (dir.path() / "cifar-10-batches-bin" / "data_batch_1.bin").string()}));
}

// The real data set, which the project's setup installs from Debian's
// dataset-fashion-mnist package.
TEST(LoadSplitsFashionMnist, InstalledDataSetSplitsIntoTheUsualSizes) {
  DataOptions options;
  options.validation_size = 5000;
  options.seed = 3;
  const DataSplits splits = load_splits(options);
  EXPECT_EQ(splits.train.size(), 55000u);
  EXPECT_EQ(splits.validation.size(), 5000u);
  EXPECT_EQ(splits.test.size(), 10000u);
  EXPECT_EQ(splits.train.dim(), 784u);
  EXPECT_EQ(splits.test.dim(), 784u);
  EXPECT_EQ(splits.train.num_classes, 10);
  for (const Dataset* data : {&splits.train, &splits.validation, &splits.test}) {
    for (const std::int32_t label : data->labels) {
      ASSERT_GE(label, 0);
      ASSERT_LT(label, 10);
    }
  }
  // Fashion-MNIST's t10k set has 1000 images of each class.
  std::vector<int> per_class(10, 0);
  for (const std::int32_t label : splits.test.labels) ++per_class[static_cast<std::size_t>(label)];
  for (const int count : per_class) EXPECT_EQ(count, 1000);
  // Mean pixel is about 0.286 on this data set; features are centred on it.
  EXPECT_NEAR(splits.mean.mean(), 0.286f, 0.01f);
  EXPECT_LT(splits.train.features.colwise().mean().cwiseAbs().maxCoeff(), 1e-4f);
  EXPECT_GE((splits.train.features.row(0) + splits.mean).minCoeff(), -1e-6f);
  EXPECT_LE((splits.train.features.row(0) + splits.mean).maxCoeff(), 1.0f + 1e-6f);
}

}  // namespace
}  // namespace descent

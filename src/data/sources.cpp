// Data set names, where their files live, the train/validation/test split and
// its normalization.
#include "descent/data/sources.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"
#include "descent/data/cifar10.hpp"
#include "descent/data/csv.hpp"
#include "descent/data/idx.hpp"
#include "descent/data/noisy_quadratic.hpp"

namespace descent {

namespace {

namespace fs = std::filesystem;

struct KindName {
  DatasetKind kind;
  const char* name;
};

constexpr std::array<KindName, 5> kKindNames = {{
    {DatasetKind::FashionMnist, "fashion-mnist"},
    {DatasetKind::Mnist, "mnist"},
    {DatasetKind::Cifar10, "cifar10"},
    {DatasetKind::Csv, "csv"},
    {DatasetKind::NoisyQuadratic, "noisy-quadratic"},
}};

// The training and test files of a data set, read but not yet split.
struct TrainAndTest {
  Dataset train;
  Dataset test;
  std::string train_source;
  std::string test_source;
};

bool file_exists(const fs::path& path) {
  std::error_code error;
  return fs::exists(path, error);
}

// The gzip-compressed file if it is there, else the raw one.
fs::path find_idx_file(DatasetKind kind, const fs::path& dir, const std::string& name) {
  const fs::path compressed = dir / (name + ".gz");
  if (file_exists(compressed)) return compressed;
  const fs::path raw = dir / name;
  if (file_exists(raw)) return raw;
  throw IoError(to_string(kind) + ": found neither " + compressed.string() + " nor " +
                raw.string());
}

TrainAndTest read_idx_files(DatasetKind kind, const fs::path& dir) {
  const fs::path train_images = find_idx_file(kind, dir, "train-images-idx3-ubyte");
  const fs::path train_labels = find_idx_file(kind, dir, "train-labels-idx1-ubyte");
  const fs::path test_images = find_idx_file(kind, dir, "t10k-images-idx3-ubyte");
  const fs::path test_labels = find_idx_file(kind, dir, "t10k-labels-idx1-ubyte");
  return {read_idx_dataset(train_images, train_labels), read_idx_dataset(test_images, test_labels),
          train_images.string(), test_images.string()};
}

TrainAndTest read_cifar10_files(const fs::path& dir) {
  // The archive unpacks into cifar-10-batches-bin/; either folder may be given.
  const fs::path nested = dir / "cifar-10-batches-bin";
  fs::path folder = dir;
  if (!file_exists(folder / "data_batch_1.bin")) {
    if (!file_exists(nested / "data_batch_1.bin")) {
      throw IoError("cifar10: found neither " + (dir / "data_batch_1.bin").string() + " nor " +
                    (nested / "data_batch_1.bin").string());
    }
    folder = nested;
  }
  std::vector<fs::path> train_files;
  for (int batch = 1; batch <= 5; ++batch) {
    train_files.push_back(folder / ("data_batch_" + std::to_string(batch) + ".bin"));
  }
  const fs::path test_file = folder / "test_batch.bin";
  return {read_cifar10(train_files), read_cifar10(std::span(&test_file, 1)),
          (folder / "data_batch_{1..5}.bin").string(), test_file.string()};
}

TrainAndTest read_csv_files(const fs::path& dir) {
  const fs::path train = dir / "train.csv";
  const fs::path test = dir / "test.csv";
  return {read_csv(train), read_csv(test), train.string(), test.string()};
}

TrainAndTest read_files(DatasetKind kind, const fs::path& dir) {
  switch (kind) {
    case DatasetKind::FashionMnist:
    case DatasetKind::Mnist:
      return read_idx_files(kind, dir);
    case DatasetKind::Cifar10:
      return read_cifar10_files(dir);
    case DatasetKind::Csv:
      return read_csv_files(dir);
    case DatasetKind::NoisyQuadratic:
      break;  // drawn, not read: load_splits
  }
  throw ConfigError("dataset: unknown kind " + std::to_string(static_cast<int>(kind)));
}

// Per-feature mean, summed in double: a float sum of 60,000 pixels would lose
// the low digits of every addend.
RowVector feature_mean(const Dataset& data) {
  const std::size_t d = data.dim();
  std::vector<double> sum(d, 0.0);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const float* row = data.features.data() + i * d;
    for (std::size_t j = 0; j < d; ++j) sum[j] += row[j];
  }
  RowVector mean(static_cast<Eigen::Index>(d));
  const double n = static_cast<double>(std::max<std::size_t>(data.size(), 1));
  for (std::size_t j = 0; j < d; ++j) {
    mean[static_cast<Eigen::Index>(j)] = static_cast<float>(sum[j] / n);
  }
  return mean;
}

void subtract_mean(Dataset& data, const RowVector& mean) {
  const std::size_t d = data.dim();
  for (std::size_t i = 0; i < data.size(); ++i) {
    float* row = data.features.data() + i * d;
    for (std::size_t j = 0; j < d; ++j) row[j] -= mean[static_cast<Eigen::Index>(j)];
  }
}

// Each row to (x - mean) / max(stddev, 1 / sqrt(d)), the statistics of the
// row in double (TensorFlow's per_image_standardization).
void standardize_each(Dataset& data) {
  const std::size_t d = data.dim();
  for (std::size_t i = 0; i < data.size(); ++i) {
    float* row = data.features.data() + i * d;
    double sum = 0.0;
    for (std::size_t j = 0; j < d; ++j) sum += row[j];
    const double mean = sum / static_cast<double>(d);
    double squares = 0.0;
    for (std::size_t j = 0; j < d; ++j) squares += (row[j] - mean) * (row[j] - mean);
    const double stddev = std::sqrt(squares / static_cast<double>(d));
    const double scale = 1.0 / std::max(stddev, 1.0 / std::sqrt(static_cast<double>(d)));
    for (std::size_t j = 0; j < d; ++j) row[j] = static_cast<float>((row[j] - mean) * scale);
  }
}

}  // namespace

Normalization parse_normalization(const std::string& name) {
  if (name == "subtract-mean") return Normalization::subtract_mean;
  if (name == "none") return Normalization::none;
  if (name == "per-image") return Normalization::per_image;
  throw ConfigError("normalization: expected one of subtract-mean, none, per-image; found '" +
                    name + "'");
}

std::string to_string(Normalization normalization) {
  switch (normalization) {
    case Normalization::subtract_mean:
      return "subtract-mean";
    case Normalization::none:
      return "none";
    case Normalization::per_image:
      return "per-image";
  }
  throw ConfigError("normalization: unknown value " +
                    std::to_string(static_cast<int>(normalization)));
}

DatasetKind parse_dataset_kind(const std::string& name) {
  for (const auto& entry : kKindNames) {
    if (name == entry.name) return entry.kind;
  }
  throw ConfigError(
      "dataset: expected one of fashion-mnist, mnist, cifar10, csv, noisy-quadratic; found '" +
      name + "'");
}

std::string to_string(DatasetKind kind) {
  for (const auto& entry : kKindNames) {
    if (kind == entry.kind) return entry.name;
  }
  throw ConfigError("dataset: unknown kind " + std::to_string(static_cast<int>(kind)));
}

fs::path default_data_dir(DatasetKind kind) {
  switch (kind) {
    case DatasetKind::FashionMnist:
      return "/usr/share/datasets/fashion-mnist";
    case DatasetKind::Mnist:
      return "/usr/share/datasets/mnist";
    case DatasetKind::Cifar10:
      return "/usr/share/datasets/cifar10";
    case DatasetKind::Csv:
      return ".";
    case DatasetKind::NoisyQuadratic:
      return {};
  }
  throw ConfigError("dataset: unknown kind " + std::to_string(static_cast<int>(kind)));
}

DataSplits load_splits(const DataOptions& options) {
  if (options.kind == DatasetKind::NoisyQuadratic) return noisy_quadratic_splits(options);
  const fs::path dir = options.data_dir.empty() ? default_data_dir(options.kind) : options.data_dir;
  TrainAndTest files = read_files(options.kind, dir);
  if (files.train.dim() != files.test.dim()) {
    throw FormatError(files.test_source + ": expected " + std::to_string(files.train.dim()) +
                      " features per sample as in " + files.train_source + ", found " +
                      std::to_string(files.test.dim()));
  }
  const std::size_t n = files.train.size();
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw FormatError(files.train_source + ": expected at most 2^32 - 1 samples, found " +
                      std::to_string(n));
  }
  if (options.validation_size >= n) {
    throw ConfigError("validation-size: expected fewer than the " + std::to_string(n) +
                      " samples of " + files.train_source + ", got " +
                      std::to_string(options.validation_size));
  }

  // A seeded permutation of the training file: its head is the validation set,
  // the rest (in permuted order) the training set.
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  Rng rng(options.seed);
  rng.shuffle(order);
  const std::span<const std::uint32_t> shuffled(order);
  const auto validation_rows = shuffled.first(options.validation_size);
  auto train_rows = shuffled.subspan(options.validation_size);
  if (options.train_size > 0) {
    if (options.train_size > train_rows.size()) {
      throw ConfigError("train-size: expected at most " + std::to_string(train_rows.size()) +
                        " (the training samples left after " +
                        std::to_string(options.validation_size) + " for validation), got " +
                        std::to_string(options.train_size));
    }
    train_rows = train_rows.first(options.train_size);
  }

  DataSplits splits;
  splits.validation = take_rows(files.train, validation_rows);
  splits.train = take_rows(files.train, train_rows);
  files.train = Dataset();
  splits.test = std::move(files.test);

  const int num_classes = std::max(splits.train.num_classes, splits.test.num_classes);
  splits.train.num_classes = num_classes;
  splits.validation.num_classes = num_classes;
  splits.test.num_classes = num_classes;

  switch (options.normalization) {
    case Normalization::subtract_mean:
      splits.mean = feature_mean(splits.train);
      subtract_mean(splits.train, splits.mean);
      subtract_mean(splits.validation, splits.mean);
      subtract_mean(splits.test, splits.mean);
      break;
    case Normalization::none:
      splits.mean = RowVector::Zero(static_cast<Eigen::Index>(splits.train.dim()));
      break;
    case Normalization::per_image:
      splits.mean = RowVector::Zero(static_cast<Eigen::Index>(splits.train.dim()));
      standardize_each(splits.train);
      standardize_each(splits.validation);
      standardize_each(splits.test);
      break;
  }
  return splits;
}

}  // namespace descent

// Where training data comes from: the data set's files in a folder, split into
// training, validation and test sets and preprocessed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "descent/core/matrix.hpp"
#include "descent/data/dataset.hpp"

namespace descent {

// NoisyQuadratic's samples are drawn, not read (noisy_quadratic.hpp).
enum class DatasetKind { FashionMnist, Mnist, Cifar10, Csv, NoisyQuadratic };

// "fashion-mnist", "mnist", "cifar10", "csv", "noisy-quadratic"; ConfigError
// for anything else.
DatasetKind parse_dataset_kind(const std::string& name);
std::string to_string(DatasetKind kind);
// Debian's dataset-fashion-mnist installs here.
std::filesystem::path default_data_dir(DatasetKind kind);

// What is done to the pixels (already scaled to [0, 1]) after the split.
enum class Normalization {
  subtract_mean,  // x - mean of the training split, per feature (cs231n; descent's default)
  none,           // as read (DeepOBS's MNIST and Fashion-MNIST)
  per_image,      // each sample to mean 0, variance 1: (x - mean_i) / max(stddev_i, 1 / sqrt(d))
                  // (TensorFlow's per_image_standardization; DeepOBS's CIFAR-10)
};
// "subtract-mean", "none", "per-image"; ConfigError for anything else.
Normalization parse_normalization(const std::string& name);
std::string to_string(Normalization normalization);

struct DataOptions {
  DatasetKind kind = DatasetKind::FashionMnist;
  std::filesystem::path data_dir;      // empty: default_data_dir(kind)
  std::size_t validation_size = 5000;  // carved from the training file
  std::size_t train_size = 0;          // 0: every remaining training sample
  std::uint64_t seed = 0;              // for the split and the subset
  Normalization normalization = Normalization::subtract_mean;
};

struct DataSplits {
  Dataset train;
  Dataset validation;
  Dataset test;
  RowVector mean;  // (d) the training mean subtracted from every split (0 if it was not)
};

// Reads the files of `options.kind` in `options.data_dir`:
//   fashion-mnist, mnist: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
//                         t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]
//   cifar10: data_batch_1.bin ... data_batch_5.bin, test_batch.bin
//            (in the folder or in its cifar-10-batches-bin/)
//   csv: train.csv, test.csv
//   noisy-quadratic: no files; DeepOBS's draws (noisy_quadratic.hpp)
// then carves a seeded validation set from the training file, keeps a seeded
// subset of train_size training samples if asked, and normalizes all three
// splits (by default, subtracts the training mean).
DataSplits load_splits(const DataOptions& options);

}  // namespace descent

// Where training data comes from: the data set's files in a folder, split into
// training, validation and test sets and preprocessed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "descent/core/matrix.hpp"
#include "descent/data/dataset.hpp"

namespace descent {

enum class DatasetKind { FashionMnist, Mnist, Cifar10, Csv };

// "fashion-mnist", "mnist", "cifar10", "csv"; ConfigError for anything else.
DatasetKind parse_dataset_kind(const std::string& name);
std::string to_string(DatasetKind kind);
// Debian's dataset-fashion-mnist installs here.
std::filesystem::path default_data_dir(DatasetKind kind);

struct DataOptions {
  DatasetKind kind = DatasetKind::FashionMnist;
  std::filesystem::path data_dir;      // empty: default_data_dir(kind)
  std::size_t validation_size = 5000;  // carved from the training file
  std::size_t train_size = 0;          // 0: every remaining training sample
  std::uint64_t seed = 0;              // for the split and the subset
};

struct DataSplits {
  Dataset train;
  Dataset validation;
  Dataset test;
  RowVector mean;  // (d) the training mean subtracted from every split
};

// Reads the files of `options.kind` in `options.data_dir`:
//   fashion-mnist, mnist: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
//                         t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]
//   cifar10: data_batch_1.bin ... data_batch_5.bin, test_batch.bin
//            (in the folder or in its cifar-10-batches-bin/)
//   csv: train.csv, test.csv
// then carves a seeded validation set from the training file, keeps a seeded
// subset of train_size training samples if asked, and subtracts the training
// mean from all three splits.
DataSplits load_splits(const DataOptions& options);

}  // namespace descent

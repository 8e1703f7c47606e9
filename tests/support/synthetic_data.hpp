// Small learnable data sets written in the real file formats, for tests that
// exercise the whole path from files to a trained network.
#pragma once

#include <cstdint>
#include <filesystem>

#include "descent/data/sources.hpp"

namespace descent::testing {

// A fresh empty folder under the system's temporary folder, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes gzip-compressed IDX files named like Fashion-MNIST's
// (train-images-idx3-ubyte.gz, ...) into `dir`: `train` and `test` images of
// side x side pixels in 10 classes, each class a bright patch at its own
// place plus seeded noise, so that a small network can learn it.
void write_synthetic_idx(const std::filesystem::path& dir, std::size_t train, std::size_t test,
                         std::size_t side = 8, std::uint64_t seed = 1);

// Writes the synthetic files into `dir` and returns the options that load them
// with `validation` samples carved from `train` by `seed`.
DataOptions write_synthetic_data(const std::filesystem::path& dir, std::size_t train,
                                 std::size_t test, std::size_t validation, std::uint64_t seed);

}  // namespace descent::testing

// The noisy quadratic's samples, drawn as NumPy draws them.
#include "descent/data/noisy_quadratic.hpp"

#include <string>

#include "descent/core/error.hpp"
#include "descent/core/numpy_random.hpp"

namespace descent {

namespace {

constexpr std::size_t kSamples = 1000;
constexpr std::uint32_t kTrainSeed = 42;
constexpr std::uint32_t kTestSeed = 43;
constexpr std::uint32_t kValidationSeed = 44;

}  // namespace

Dataset noisy_quadratic_samples(std::uint32_t seed, std::size_t rows, std::size_t dim,
                                double noise) {
  NumpyRandomState rng(seed);
  Dataset data;
  data.features.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(dim));
  float* values = data.features.data();  // row-major: NumPy's C order
  for (std::size_t i = 0; i < rows * dim; ++i) {
    values[i] = static_cast<float>(rng.normal(0.0, noise));
  }
  data.labels.assign(rows, 0);
  data.num_classes = 1;
  return data;
}

DataSplits noisy_quadratic_splits(const DataOptions& options) {
  if (options.validation_size < 1) {
    throw ConfigError("validation-size: expected at least 1 for the noisy quadratic, got 0");
  }
  if (options.train_size > kSamples) {
    throw ConfigError("train-size: expected at most the noisy quadratic's " +
                      std::to_string(kSamples) + " training samples, got " +
                      std::to_string(options.train_size));
  }
  DataSplits splits;
  splits.train = noisy_quadratic_samples(kTrainSeed, kSamples);
  if (options.train_size > 0) {
    splits.train.features.conservativeResize(static_cast<Eigen::Index>(options.train_size),
                                             Eigen::NoChange);
    splits.train.labels.resize(options.train_size);
  }
  splits.validation = noisy_quadratic_samples(kValidationSeed, options.validation_size);
  splits.test = noisy_quadratic_samples(kTestSeed, kSamples);
  splits.mean = RowVector::Zero(splits.train.features.cols());
  return splits;
}

}  // namespace descent

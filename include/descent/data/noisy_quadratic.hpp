// The data of DeepOBS's noisy quadratic (deepobs/pytorch/datasets/quadratic.py):
// samples x ~ N(0, 0.6^2 I) in 100 dimensions, drawn in float64 by
// numpy.random.RandomState(seed).normal(0.0, 0.6, (1000, 100)) row by row and
// stored in float32. Training set: seed 42; test set: seed 43. DeepOBS has
// no validation set (it evaluates on the training set); descent draws one
// with seed 44, used only to pick the best epoch. There are no classes: every
// label is 0 and num_classes is 1.
#pragma once

#include <cstdint>

#include "descent/data/dataset.hpp"
#include "descent/data/sources.hpp"

namespace descent {

// `rows` samples of `dim` values from RandomState(seed).normal(0, noise).
Dataset noisy_quadratic_samples(std::uint32_t seed, std::size_t rows, std::size_t dim = 100,
                                double noise = 0.6);

// The three splits: 1,000 training samples (42), options.validation_size
// validation samples (44), 1,000 test samples (43); options.train_size, if
// set, keeps the first rows of the training set. Nothing is subtracted.
DataSplits noisy_quadratic_splits(const DataOptions& options);

}  // namespace descent

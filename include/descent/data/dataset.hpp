// A labelled data set held in memory: one sample per row of `features`.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "descent/core/matrix.hpp"

namespace descent {

struct Dataset {
  Matrix features;                   // (n, d), row-major
  std::vector<std::int32_t> labels;  // (n), each in [0, num_classes)
  int num_classes = 0;
  // (n, num_classes) a teacher's class probabilities for each sample, the
  // soft targets of distillation (nn/distillation_loss.hpp); empty if none.
  Matrix soft_labels;

  std::size_t size() const { return labels.size(); }
  std::size_t dim() const { return static_cast<std::size_t>(features.cols()); }
};

// The rows `indices` of `data`, in that order.
Dataset take_rows(const Dataset& data, std::span<const std::uint32_t> indices);

// `count` rows of `data` (all of them if it has fewer) drawn without
// replacement by a generator seeded with `seed`: a fixed subset, such as the
// one training accuracy is measured on.
Dataset random_rows(const Dataset& data, std::size_t count, std::uint64_t seed);

}  // namespace descent

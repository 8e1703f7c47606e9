// Row selection on in-memory data sets.
#include "descent/data/dataset.hpp"

#include <algorithm>
#include <string>

#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"

namespace descent {

Dataset take_rows(const Dataset& data, std::span<const std::uint32_t> indices) {
  const std::size_t n = data.size();
  const auto d = static_cast<Eigen::Index>(data.dim());
  Dataset out;
  out.num_classes = data.num_classes;
  out.features.resize(static_cast<Eigen::Index>(indices.size()), d);
  out.labels.resize(indices.size());
  const bool soft = data.soft_labels.size() > 0;
  if (soft) out.soft_labels.resize(static_cast<Eigen::Index>(indices.size()), data.soft_labels.cols());
  for (std::size_t row = 0; row < indices.size(); ++row) {
    const std::uint32_t index = indices[row];
    if (index >= n) {
      throw ShapeError("take_rows: index " + std::to_string(index) + " at position " +
                       std::to_string(row) + " is outside a data set of " + std::to_string(n) +
                       " samples");
    }
    out.features.row(static_cast<Eigen::Index>(row)) = data.features.row(index);
    out.labels[row] = data.labels[index];
    if (soft) {
      out.soft_labels.row(static_cast<Eigen::Index>(row)) = data.soft_labels.row(index);
    }
  }
  return out;
}

Dataset random_rows(const Dataset& data, std::size_t count, std::uint64_t seed) {
  std::vector<std::uint32_t> order(data.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  Rng rng(seed);
  rng.shuffle(order);
  order.resize(std::min(count, order.size()));
  return take_rows(data, order);
}

}  // namespace descent

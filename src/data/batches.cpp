// Shuffled minibatches over a fixed number of samples.
#include "descent/data/batches.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

#include "descent/core/error.hpp"

namespace descent {

BatchSampler::BatchSampler(std::size_t num_samples, std::size_t batch_size, bool drop_last)
    : batch_size_(batch_size), drop_last_(drop_last) {
  if (batch_size == 0) throw ConfigError("batch_size: expected at least 1, got 0");
  if (drop_last && num_samples < batch_size) {
    throw ConfigError("drop-last: the " + std::to_string(num_samples) +
                      " samples make no whole batch of " + std::to_string(batch_size));
  }
  if (num_samples > std::numeric_limits<std::uint32_t>::max()) {
    throw ConfigError("batches: expected at most 2^32 - 1 samples, got " +
                      std::to_string(num_samples));
  }
  order_.resize(num_samples);
  std::iota(order_.begin(), order_.end(), 0u);
}

void BatchSampler::start_epoch(Rng& rng) {
  std::iota(order_.begin(), order_.end(), 0u);
  rng.shuffle(order_);
}

std::size_t BatchSampler::batches_per_epoch() const {
  return drop_last_ ? order_.size() / batch_size_ : (order_.size() + batch_size_ - 1) / batch_size_;
}

std::span<const std::uint32_t> BatchSampler::batch(std::size_t i) const {
  if (i >= batches_per_epoch()) {
    throw ShapeError("batch " + std::to_string(i) + ": expected an index below " +
                     std::to_string(batches_per_epoch()));
  }
  const std::size_t first = i * batch_size_;
  const std::size_t count = std::min(batch_size_, order_.size() - first);
  return std::span<const std::uint32_t>(order_).subspan(first, count);
}

void BatchSampler::save(ByteWriter& out) const {
  out.put<std::uint64_t>(batch_size_);
  out.put_array<std::uint32_t>(order_);
}

void BatchSampler::load(ByteReader& in) {
  const auto batch_size = in.get<std::uint64_t>("batch_size");
  if (batch_size != batch_size_) {
    in.fail("batch_size",
            "expected " + std::to_string(batch_size_) + ", found " + std::to_string(batch_size));
  }
  std::vector<std::uint32_t> order = in.get_array<std::uint32_t>("order");
  if (order.size() != order_.size()) {
    in.fail("order", "expected " + std::to_string(order_.size()) + " sample indices, found " +
                         std::to_string(order.size()));
  }
  std::vector<bool> seen(order.size(), false);
  for (const std::uint32_t index : order) {
    if (index >= order.size() || seen[index]) {
      in.fail("order", "expected a permutation of 0.." + std::to_string(order.size() - 1) +
                           ", found index " + std::to_string(index) +
                           (index < order.size() ? " twice" : ""));
    }
    seen[index] = true;
  }
  order_ = std::move(order);
}

}  // namespace descent

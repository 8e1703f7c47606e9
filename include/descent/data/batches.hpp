// Shuffled minibatches: each epoch draws a fresh permutation of the sample
// indices from the given generator, then hands out consecutive slices of it.
// The last batch of an epoch may be smaller, or, with drop_last, is left out
// (PyTorch's DataLoader(drop_last=True)). The permutation is part of the
// saved state, so a run resumed mid-epoch sees the same batches.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/core/rng.hpp"

namespace descent {

class BatchSampler {
 public:
  BatchSampler(std::size_t num_samples, std::size_t batch_size, bool drop_last = false);

  void start_epoch(Rng& rng);
  std::size_t batches_per_epoch() const;
  // Indices of batch i of the current epoch.
  std::span<const std::uint32_t> batch(std::size_t i) const;

  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  std::size_t batch_size_;
  bool drop_last_;
  std::vector<std::uint32_t> order_;
};

}  // namespace descent

// The order in which a run visits the training set: shuffled minibatches,
// one epoch after another, each epoch a fresh permutation drawn from the
// run's data-shuffling stream (or, with shuffle_once, the first epoch's
// permutation again in every epoch). Its position (epochs done, batches done in
// the epoch in progress), the permutation and the stream are saved, so a
// resumed run sees the same batches.
#pragma once

#include <cstdint>
#include <span>

#include "descent/core/bytes.hpp"
#include "descent/core/rng.hpp"
#include "descent/data/batches.hpp"

namespace descent {

class MinibatchOrder {
 public:
  // Batches of `batch_rows` rows over `n` samples, shuffled by a stream seeded
  // with `seed`; with drop_last, an epoch leaves out the rows of no whole batch;
  // with shuffle_once, every epoch visits the rows in the first epoch's order.
  MinibatchOrder(std::size_t n, std::size_t batch_rows, std::uint64_t seed, bool drop_last = false,
                 bool shuffle_once = false);

  // The rows of the next batch; the first batch of an epoch draws its permutation.
  std::span<const std::uint32_t> next();

  std::size_t batches_per_epoch() const { return sampler_.batches_per_epoch(); }
  // Epochs whose every batch has been handed out.
  std::size_t epochs_done() const { return epochs_done_; }
  // Batches handed out in the epoch in progress, or in the epoch just done
  // (batches_per_epoch()) between its last batch and the next one.
  std::size_t batches_done() const;

  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  BatchSampler sampler_;
  Rng rng_;
  bool shuffle_once_;
  std::size_t epochs_done_ = 0;
  std::size_t batch_ = 0;  // the next batch's index in its epoch
};

}  // namespace descent

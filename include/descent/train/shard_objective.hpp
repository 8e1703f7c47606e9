// The training objective as every training method sees it: the loss of the
// current batch at the network's parameters, with its gradient in
// network.params().grads(). The batch is a set of training rows; under data
// parallelism (data_parallel.hpp) this process evaluates its own contiguous
// share of them and the shares are summed, so that every process holds the
// loss and gradient of the whole batch. With a teacher (distillation), the
// loss is the distillation loss against the rows' soft labels.
//
// It also counts the gradient evaluations, in samples of the whole batch, so
// that passes() = evaluations / n compares methods at equal work.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"
#include "descent/data/dataset.hpp"
#include "descent/nn/network.hpp"
#include "descent/train/config.hpp"
#include "descent/train/data_parallel.hpp"

namespace descent {

class ShardObjective {
 public:
  // The run's network and training set; `dropout_seed` seeds the first
  // process's dropout masks.
  ShardObjective(const TrainConfig& config, Network& network, const Dataset& train,
                 std::uint64_t dropout_seed);

  // Before the first evaluation.
  void set_data_parallel(const DataParallel& parallel);
  // The iteration in progress (0-based): other processes than the first seed
  // their dropout masks with it, so a resumed run draws the same masks.
  void set_iteration(std::size_t iteration) { iteration_ = iteration; }

  // The rows of the training set that make the batch; this process's share
  // is copied.
  void set_batch(std::span<const std::uint32_t> rows);
  // The whole training set as the batch (read in place on one process).
  void set_full_batch();

  // The loss of the batch, and its gradient in the network's grads().
  float loss_and_grad();

  std::uint64_t samples_evaluated() const { return samples_evaluated_; }
  double passes() const;
  const Network& network() const { return network_; }

  // The evaluation count and the dropout stream.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  // The loss and gradient of the whole batch from this process's, summed
  // over the processes with weights rows / batch rows.
  float sum_over_processes(float loss, std::size_t rows);
  // The generator of this process's dropout masks for the iteration in progress.
  Rng& dropout_rng();

  const TrainConfig& config_;
  Network& network_;
  const Dataset& train_;
  DataParallel parallel_;
  Rng dropout_rng_;        // the first process's dropout masks
  Rng shard_dropout_rng_;  // the masks of other processes
  std::size_t iteration_ = 0;
  std::uint64_t samples_evaluated_ = 0;
  bool full_batch_ = false;          // the batch is the whole training set
  bool whole_set_in_place_ = false;  // ... read from train_ itself
  std::size_t batch_rows_ = 0;       // rows of the whole batch, over all processes
  std::vector<std::uint32_t> all_rows_;
  std::vector<std::uint32_t> shard_;  // this process's rows of the batch
  Matrix batch_x_;                    // (shard rows, d)
  std::vector<std::int32_t> batch_y_;
  Matrix batch_soft_labels_;  // (shard rows, C) the teacher's, when distilling
};

// Independent streams of random numbers from one seed: network init (0), data
// shuffling (1), dropout (2), the training-accuracy subset (3), other
// processes' dropout (4 + rank).
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  return seed * 0x9E3779B97F4A7C15ull + stream;
}

}  // namespace descent

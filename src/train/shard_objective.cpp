#include "descent/train/shard_objective.hpp"

#include "descent/core/error.hpp"

namespace descent {

ShardObjective::ShardObjective(const TrainConfig& config, Network& network, const Dataset& train,
                               std::uint64_t dropout_seed)
    : config_(config), network_(network), train_(train), dropout_rng_(dropout_seed) {
  if (!config_.teacher.empty()) {
    const Matrix& soft = train.soft_labels;
    if (soft.rows() != static_cast<Eigen::Index>(train.size()) ||
        soft.cols() != static_cast<Eigen::Index>(config_.network.num_classes)) {
      throw ShapeError("teacher: distillation needs the teacher's probabilities for each of the " +
                       std::to_string(train.size()) + " training samples and " +
                       std::to_string(config_.network.num_classes) + " classes, got (" +
                       std::to_string(soft.rows()) + ", " + std::to_string(soft.cols()) + ")");
    }
  }
}

void ShardObjective::set_data_parallel(const DataParallel& parallel) {
  parallel_ = parallel;
  if (full_batch_) set_full_batch();
}

void ShardObjective::set_batch(std::span<const std::uint32_t> rows) {
  full_batch_ = false;
  whole_set_in_place_ = false;
  batch_rows_ = rows.size();
  const RowRange range = shard_rows(rows.size(), parallel_.rank, parallel_.ranks);
  shard_.assign(rows.begin() + static_cast<std::ptrdiff_t>(range.begin),
                rows.begin() + static_cast<std::ptrdiff_t>(range.end));
  const auto n = static_cast<Eigen::Index>(shard_.size());
  // The last batch of an epoch may be smaller; resize is free otherwise.
  batch_x_.resize(n, static_cast<Eigen::Index>(train_.dim()));
  batch_y_.resize(shard_.size());
  for (Eigen::Index r = 0; r < n; ++r) {
    const std::uint32_t i = shard_[static_cast<std::size_t>(r)];
    batch_x_.row(r) = train_.features.row(i);
    batch_y_[static_cast<std::size_t>(r)] = train_.labels[i];
  }
  if (!config_.teacher.empty()) {
    batch_soft_labels_.resize(n, train_.soft_labels.cols());
    for (Eigen::Index r = 0; r < n; ++r) {
      batch_soft_labels_.row(r) = train_.soft_labels.row(shard_[static_cast<std::size_t>(r)]);
    }
  }
}

void ShardObjective::set_full_batch() {
  if (parallel_.ranks == 1) {
    whole_set_in_place_ = true;
    batch_rows_ = train_.size();
  } else {
    all_rows_.resize(train_.size());
    for (std::size_t i = 0; i < all_rows_.size(); ++i) all_rows_[i] = static_cast<std::uint32_t>(i);
    set_batch(all_rows_);
  }
  full_batch_ = true;
}

float ShardObjective::loss_and_grad() {
  samples_evaluated_ += batch_rows_;
  if (whole_set_in_place_) {
    return network_.loss_and_grad(train_.features, train_.labels, dropout_rng_);
  }
  // A process whose share of a short last batch is empty adds nothing.
  float loss = 0;
  if (shard_.empty()) {
    network_.params().zero_grads();
  } else if (config_.teacher.empty()) {
    loss = network_.loss_and_grad(batch_x_, batch_y_, dropout_rng());
  } else {
    loss = network_.loss_and_grad(batch_x_, batch_y_, batch_soft_labels_, config_.distillation,
                                  dropout_rng());
  }
  if (parallel_.ranks > 1) loss = sum_over_processes(loss, shard_.size());
  return loss;
}

// Each process's loss and gradient are means over its own rows, plus the L2
// term, which is the same on every process. Weighted by rows / batch_rows,
// their sum is the mean over the whole batch, plus L2 once (the weights add up
// to 1): what one process computes from the whole batch.
float ShardObjective::sum_over_processes(float loss, std::size_t rows) {
  const float weight = static_cast<float>(rows) / static_cast<float>(batch_rows_);
  const auto grads = network_.params().grads();
  for (float& g : grads) g *= weight;
  parallel_.sum(grads);
  float total = loss * weight;
  parallel_.sum({&total, 1});
  return total;
}

Rng& ShardObjective::dropout_rng() {
  if (parallel_.rank == 0) return dropout_rng_;
  shard_dropout_rng_ =
      Rng(stream_seed(stream_seed(config_.seed, 4 + parallel_.rank), iteration_));
  return shard_dropout_rng_;
}

double ShardObjective::passes() const {
  return static_cast<double>(samples_evaluated_) / static_cast<double>(train_.size());
}

void ShardObjective::save(ByteWriter& out) const {
  out.put<std::uint64_t>(samples_evaluated_);
  out.put_string(dropout_rng_.save());
}

void ShardObjective::load(ByteReader& in) {
  samples_evaluated_ = in.get<std::uint64_t>("samples evaluated");
  dropout_rng_.load(in.get_string("dropout random state"));
}

}  // namespace descent

// The trainer's loops for the quasi-Newton methods (trainer.hpp):
//   olbfgs      the minibatch loop, whose step takes a second gradient of the
//               same batch (online_lbfgs_step, called by train_iteration)
//   lbfgs, cg   run_line_search: one line-search iteration
//               (line_search_iteration.hpp) per iteration, on the whole
//               training set (--batch-size 0 or >= n), else on the next large
//               batch of the shuffled order, whose loss and gradient at the
//               current point are evaluated first. The history of (s, y)
//               pairs is kept across batches: each pair comes from the two
//               ends of one line search, on one batch.
// An epoch of lbfgs and cg is the training set's worth of gradient
// evaluations; a line search can span several, and each ends with the usual
// evaluation (the same network, recorded once per pass). Checkpoints fall
// between iterations, never inside a line search, and hold f, g, the last
// direction and the (s, y) history, so a resumed run continues bit for bit.
#include <algorithm>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/threads.hpp"
#include "descent/train/trainer.hpp"

namespace descent {

double Trainer::passes() const {
  return static_cast<double>(samples_evaluated_) / static_cast<double>(data_.train.size());
}

// Schraudolph, Yu & Guenter 2007: y_t = g(theta_{t+1}, batch_t) - g(theta_t,
// batch_t) + lambda s_t, both gradients on the batch in batch_x_.
void Trainer::online_lbfgs_step(std::span<const std::uint32_t> indices, std::size_t batch_rows,
                                double lr) {
  ParamSet& params = network_.params();
  online_lbfgs_->step(params.values(), params.grads(), lr);
  batch_loss_and_grad(indices, batch_rows);
  online_lbfgs_->observe(params.grads());
}

TrainResult Trainer::run_line_search() {
  set_num_threads(config_.threads);
  start_ = std::chrono::steady_clock::now();
  const std::size_t n = data_.train.size();
  const bool full_batch = sampler_.batches_per_epoch() == 1;
  ParamSet& params = network_.params();
  // Over several processes each evaluates its share of the batch's rows and
  // the shares are summed (Sandblaster L-BFGS, Dean et al. 2012, section 4.2:
  // the coordinator's L-BFGS sees the whole batch's loss and gradient). Every
  // process then runs the same deterministic iteration on the same numbers.
  const bool sharded = parallel_.ranks > 1;
  std::vector<std::uint32_t> all_rows;
  std::span<const std::uint32_t> shard;  // this process's rows of the batch
  std::size_t batch_rows = n;
  const auto take_shard = [&](std::span<const std::uint32_t> batch) {
    const RowRange range = shard_rows(batch.size(), parallel_.rank, parallel_.ranks);
    shard = batch.subspan(range.begin, range.size());
    batch_rows = batch.size();
    copy_batch(shard);
  };
  if (full_batch && sharded) {
    all_rows.resize(n);
    for (std::size_t i = 0; i < n; ++i) all_rows[i] = static_cast<std::uint32_t>(i);
    take_shard(all_rows);
  }
  // The batch's loss at the network's parameters, which the line search moves
  // in place (x is params.values()).
  const Objective<float> objective = [&](std::span<const float>, std::span<float> gradient) {
    const float loss =
        full_batch && !sharded
            ? network_.loss_and_grad(data_.train.features, data_.train.labels, dropout_rng_)
            : batch_loss_and_grad(shard, batch_rows);
    const auto grads = params.grads();
    std::copy(grads.begin(), grads.end(), gradient.begin());
    samples_evaluated_ += batch_rows;
    return static_cast<double>(loss);
  };
  Progress progress;
  progress.epochs = config_.epochs;
  progress.batches_per_epoch = 100;  // percent of the pass in progress
  while (epoch_ < config_.epochs) {
    if (!full_batch || !line_search_->evaluated()) {
      if (!full_batch) {
        if (line_batch_ == 0) sampler_.start_epoch(data_rng_);
        take_shard(sampler_.batch(line_batch_));
        line_batch_ = (line_batch_ + 1) % sampler_.batches_per_epoch();
      }
      line_search_->evaluate_at(objective, params.values());
    }
    const IterationOutcome outcome = line_search_->iterate(objective, params.values());
    const auto loss = static_cast<float>(line_search_->f());
    record_iteration(loss, outcome.step);
    if (std::string why = divergence(); !why.empty()) {
      return finish(RunStatus::Diverged, std::move(why));
    }
    while (epoch_ < config_.epochs && samples_evaluated_ >= (epoch_ + 1) * n) {
      close_epoch(progress);
    }
    progress.epoch = std::min(epoch_ + 1, config_.epochs);
    progress.batch = std::min<std::size_t>(
        100, static_cast<std::size_t>(100 * (passes() - static_cast<double>(epoch_))));
    progress.iteration = iteration_;
    progress.iterations = static_cast<std::size_t>(static_cast<double>(iteration_) *
                                                   static_cast<double>(config_.epochs) / passes());
    progress.loss = loss;
    progress.learning_rate = outcome.step;
    progress.seconds = elapsed_seconds();
    progress.epoch_record = nullptr;
    if (!outcome.moved()) {
      // No step lowers the loss, even along -g: at a minimum to float
      // precision, or stuck. The pass in progress gets its record.
      if (epoch_ < config_.epochs) end_epoch();
      save_checkpoint();
      return finish(RunStatus::Finished,
                    "line search failed at iteration " + std::to_string(iteration_) + ": " +
                        to_string(outcome.status) + "; the parameters are the last iterate's");
    }
    const bool every = config_.checkpoint_every > 0 && iteration_ % config_.checkpoint_every == 0;
    if (every && epoch_ < config_.epochs) save_checkpoint();
    if (on_iteration && on_iteration(progress) && epoch_ < config_.epochs) return interrupt();
  }
  return finish(RunStatus::Finished, "");
}

}  // namespace descent

// How a run takes one iteration: the seam between the trainer's loop
// (trainer.hpp) and the ways of optimizing a network. Each kind of method is
// one implementation, chosen once from the optimizer's kind:
//   first-order   one optimizer step per minibatch gradient (first_order_method.hpp)
//   online L-BFGS two gradients per minibatch (online_lbfgs_method.hpp)
//   line search   L-BFGS and CG, one line search per iteration on the whole
//                 training set or on a large batch (line_search_method.hpp)
//   sum of functions  SFO, one fixed minibatch per step (sfo_method.hpp)
// A method evaluates the objective through the run's ShardObjective, which
// counts the gradient evaluations, and keeps whatever state it needs; the
// trainer records, evaluates, checkpoints and stops.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "descent/core/bytes.hpp"
#include "descent/nn/network.hpp"
#include "descent/train/config.hpp"
#include "descent/train/run_result.hpp"
#include "descent/train/shard_objective.hpp"

namespace descent {

struct Progress;

// What one iteration leaves for the history.
struct IterationResult {
  float loss = 0;  // the minibatch loss, or f after a line search
  // The learning rate of the update; for methods that choose their own steps,
  // the step they took (a line search's alpha).
  double rate = 0;
  // Not empty: the method cannot go on (a line search found no step that
  // lowers the loss); the run ends there as finished, with this message.
  std::string stop;
};

class TrainingMethod {
 public:
  virtual ~TrainingMethod() = default;

  // Iteration number `iteration` (1-based); `learning_rate` is the
  // schedule's, which methods that choose their own steps ignore. Parameters
  // change in place.
  virtual IterationResult iterate(std::size_t iteration, double learning_rate) = 0;

  // Epochs completed: batches for the minibatch methods, passes over the
  // training set (gradient evaluations) for the others.
  virtual std::size_t epochs_done() const = 0;

  // Fills in where the run stands: progress.epoch, batch, batches_per_epoch
  // and iterations, from progress.iteration and progress.epochs.
  virtual void locate(Progress& progress) const = 0;

  // What metrics.json reports of the method (lbfgs: the last gradient norm).
  virtual void add_results(TrainResult&) const {}

  virtual void save(ByteWriter& out) const = 0;
  virtual void load(ByteReader& in) = 0;
};

// The method of config.optimizer's kind, over `objective` (whose network's
// parameters it updates). ConfigError for a config it cannot run.
std::unique_ptr<TrainingMethod> make_training_method(const TrainConfig& config,
                                                     ShardObjective& objective,
                                                     Network& network, std::size_t train_size);

// locate() for methods that count epochs in passes over the training set:
// the epoch in progress, the percent of it done as the batch (of 100), and
// the run's iterations extrapolated from the passes so far.
void locate_by_passes(Progress& progress, double passes, std::size_t epochs_done);

// Rows of one batch: the config's batch size, or the whole training set when
// that is 0 (lbfgs and cg) or larger.
std::size_t batch_rows(const TrainConfig& config, std::size_t train_size);

}  // namespace descent

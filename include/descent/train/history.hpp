// What a training run records: the loss of every iteration and a summary of
// every epoch, as cs231n's Solver keeps loss_history, train_acc_history and
// val_acc_history.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "descent/core/bytes.hpp"

namespace descent {

struct EpochRecord {
  std::size_t epoch = 0;      // 1-based
  std::size_t iteration = 0;  // iterations done at the end of this epoch
  double learning_rate = 0;   // of the epoch's last iteration
  double train_loss = 0;      // mean minibatch loss over the epoch
  double train_accuracy = 0;  // on the fixed training subset
  double val_loss = 0;
  double val_accuracy = 0;
  double seconds = 0;  // wall time since the run started
  // Training time since the run started, evaluation excluded: what time to
  // target counts (AlgoPerf's "time to result" leaves evaluation out). NaN
  // where the trainer did not measure it (files written before it existed).
  double train_seconds = std::numeric_limits<double>::quiet_NaN();
  // The averaged weights' validation loss and accuracy (weight_average.hpp);
  // NaN where none was measured (no averaging, or SWA before swa-start).
  double avg_val_loss = std::numeric_limits<double>::quiet_NaN();
  double avg_val_accuracy = std::numeric_limits<double>::quiet_NaN();
};

struct History {
  std::vector<float> loss;           // minibatch loss per iteration
  // Learning rate of each iteration's update; lbfgs and cg: the step alpha
  // their line search accepted.
  std::vector<float> learning_rate;
  // Gradient evaluations up to the end of each iteration, in passes over the
  // training set: iteration * batch / n for first-order runs, twice that for
  // olbfgs; lbfgs and cg count every evaluation of their line searches.
  std::vector<double> passes;
  std::vector<EpochRecord> epochs;
  // The run averages its weights: the tables get the averaged columns. Set
  // from the run's config, not saved.
  bool averaged = false;

  void save(ByteWriter& out) const;
  void load(ByteReader& in);
};

// Per-epoch table: epoch,iteration,lr,train_loss,train_acc,val_loss,val_acc,seconds,
// train_seconds and, if history.averaged, avg_val_loss,avg_val_acc (empty where
// not measured; null in the JSON).
std::string epochs_csv(const History& history);
// Per-iteration table: iteration,loss,lr,passes
std::string loss_csv(const History& history);
nlohmann::json to_json(const History& history);

}  // namespace descent

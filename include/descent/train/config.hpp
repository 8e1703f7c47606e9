// Everything that defines a training run. Its JSON form (to_json) uses the
// command line's flag names as keys, so a run folder's config.json can be fed
// back with `descent train --config` and reproduces the run; `descent train
// --resume` reads it back with train_config_from_json. The optimizer's options
// and the schedule's fields are written and read by their tables
// (optim/optimizer_options.hpp, optim/schedule.hpp). The keys of
// weight averaging, snapshots and distillation ("ema", "swa-start", "swa-lr",
// "snapshots", "teacher", "temperature", "alpha") appear only when these are on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "descent/data/sources.hpp"
#include "descent/nn/distillation_loss.hpp"
#include "descent/nn/network.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/registry.hpp"
#include "descent/optim/schedule.hpp"
#include "descent/train/weight_average.hpp"

namespace descent {

struct TrainConfig {
  DataOptions data;
  NetworkConfig network;
  std::string optimizer = "sgd";
  OptimizerOptions optimizer_options;  // unset fields: the optimizer's defaults
  Clipping clipping;
  // No weight decay on biases and batch-norm parameters (their own group).
  bool no_decay_on_bias = false;
  double learning_rate = 5e-3;  // the schedule's base rate
  ScheduleConfig schedule;      // one-cycle's total-steps 0: the whole run
  // The schedule's t counts iterations (updates), or epochs: lr(epoch) for
  // every update of the epoch, as torch's scheduler.step() once per epoch.
  bool schedule_per_epoch = false;
  // Passes over the training set. For lbfgs and cg, a pass is the training
  // set's worth of gradient evaluations (a line search may make several).
  std::size_t epochs = 5;
  // Samples per minibatch; lbfgs and cg: 0 or >= the training set's size for
  // full-batch training, else one large batch per iteration.
  std::size_t batch_size = 100;
  // Leave out the last, smaller batch of every epoch (DeepOBS's quadratic,
  // PyTorch's DataLoader(drop_last=True)); minibatch optimizers only.
  bool drop_last = false;
  // Shuffle the training set once and visit it in that order every epoch,
  // instead of a fresh permutation each epoch: the order DeepOBS's
  // TensorFlow baselines saw (docs/problems.md); minibatch optimizers only.
  bool shuffle_once = false;
  std::uint64_t seed = 0;
  int threads = 1;
  // Training accuracy is measured on this many training samples, fixed for the
  // whole run (cs231n's Solver uses 1,000).
  std::size_t train_eval_samples = 1000;
  // Write a checkpoint every this many iterations; 0: at the end of each epoch only.
  std::size_t checkpoint_every = 0;
  // Stop the run as diverged once the smoothed loss (see trainer.hpp) exceeds
  // this many times the first iteration's loss; 0: only a NaN or infinite loss
  // stops it.
  double diverge_factor = 0;
  // Averaged weights kept beside the trained ones (weight_average.hpp).
  WeightAverageConfig average;
  // Snapshot ensemble of this many cycles (snapshot.hpp); 0: off. It sets the
  // learning rate itself, so the schedule must be left constant.
  std::size_t snapshots = 0;
  // Knowledge distillation: the teacher (a run folder, model.bin or
  // ensemble.json) whose probabilities at distillation.temperature the
  // training set's soft_labels hold; empty: off, the labels alone.
  std::string teacher;
  Distillation distillation;

  // ConfigError naming the field for any value out of range.
  void validate() const;

 private:
  // What lbfgs, cg and olbfgs do not combine with.
  void validate_quasi_newton() const;
};

nlohmann::json to_json(const TrainConfig& config);
// The hyperparameters that were set, under their flag names: {"momentum": 0.9}.
nlohmann::json to_json(const OptimizerOptions& options);
// The network's input size and class count from the data: the samples' size,
// and the most classes of the three splits (not for a loss without classes).
void fit_network_to_data(TrainConfig& config, const DataSplits& data);

// The schedule's fields under their flag names, "schedule" holding its kind.
nlohmann::json to_json(const ScheduleConfig& schedule);

// The inverses, for config.json and experiment files. Keys may be written
// with '_' for '-'; keys left out keep the defaults (TrainConfig's and
// ScheduleConfig's own, an optimizer's). ConfigError naming the key for an
// unknown one or a value of the wrong type or out of its range. The config
// as a whole is not validated (TrainConfig::validate()).
TrainConfig train_config_from_json(const nlohmann::json& json);
OptimizerOptions optimizer_options_from_json(const nlohmann::json& json);
ScheduleConfig schedule_from_json(const nlohmann::json& json);

}  // namespace descent

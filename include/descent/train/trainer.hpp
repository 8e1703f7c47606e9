// The training loop, in the spirit of cs231n's Solver: minibatch SGD-style
// updates over epochs, the loss of every iteration, training and validation
// accuracy after every epoch, the best parameters by validation accuracy, and
// the test accuracy of those best parameters at the end.
//
// A run can be stopped (a callback returns true, or a checkpoint is simply the
// last thing a killed process wrote) and resumed from its checkpoint; the
// resumed run produces the same numbers, bit for bit, as one never stopped.
//
// With weight averaging on (config.average), the run also keeps the averaged
// weights (weight_average.hpp), measures them on the validation set after
// every epoch, and at the end writes them as model_ema.bin or model_swa.bin
// with their test accuracy. With config.snapshots = M, it follows the
// snapshot-ensemble schedule and writes the M snapshots (snapshot.hpp).
//
// The quasi-Newton methods have loops of their own (quasi_newton_loop.cpp):
// lbfgs and cg make one line-search iteration per "iteration", on the whole
// training set or on one large batch, and count an epoch as the training
// set's worth of gradient evaluations; olbfgs runs the minibatch loop with two
// gradient evaluations per step. Every run records, per iteration, the passes
// over the data its gradient evaluations add up to, so that curves of
// different methods compare at equal work.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/rng.hpp"
#include "descent/data/batches.hpp"
#include "descent/data/sources.hpp"
#include "descent/nn/network.hpp"
#include "descent/optim/line_search_iteration.hpp"
#include "descent/optim/online_lbfgs.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/schedule.hpp"
#include "descent/train/config.hpp"
#include "descent/train/data_parallel.hpp"
#include "descent/train/history.hpp"
#include "descent/train/snapshot.hpp"
#include "descent/train/weight_average.hpp"

namespace descent {

enum class RunStatus {
  Finished,     // every epoch done
  Diverged,     // the loss became NaN or infinite, or grew past the config's
                // diverge_factor; the run stopped there
  Interrupted,  // a callback asked to stop; the checkpoint allows a resume
};
std::string to_string(RunStatus status);

struct TrainResult {
  RunStatus status = RunStatus::Finished;
  std::size_t iterations = 0;
  std::size_t best_epoch = 0;  // 1-based; 0 if no epoch finished
  double best_val_accuracy = 0;
  double final_train_accuracy = 0;
  double final_val_accuracy = 0;
  double test_accuracy = 0;  // of the best parameters
  double test_loss = 0;
  // The averaged weights on the test set, for a finished run that averages.
  std::optional<Network::Evaluation> averaged_test;
  std::string averaged_model;  // its file in the run folder: "model_ema.bin", "model_swa.bin"
  double seconds = 0;
  std::string message;  // why it stopped, for Diverged and Interrupted
};

// What the callbacks see.
struct Progress {
  std::size_t epoch = 0;  // 1-based epoch in progress
  std::size_t epochs = 0;
  std::size_t batch = 0;  // 1-based batch just done within the epoch
  std::size_t batches_per_epoch = 0;
  std::size_t iteration = 0;   // iterations done
  std::size_t iterations = 0;  // of the whole run
  float loss = 0;
  double learning_rate = 0;
  double seconds = 0;
  const EpochRecord* epoch_record = nullptr;  // set at the end of an epoch
};

class Trainer {
 public:
  // Builds the network, optimizer and sampler of a fresh run. If `run_dir` is
  // not empty, the run writes its files there (config.json, history, metrics,
  // checkpoint.bin, model.bin). A config with a teacher distills: the
  // training set's soft_labels must then hold the teacher's probabilities at
  // the config's temperature (ShapeError otherwise).
  Trainer(TrainConfig config, const DataSplits& data, std::filesystem::path run_dir = {});
  ~Trainer();

  // Restores the state saved in `checkpoint` (FormatError if it belongs to a
  // run of another configuration).
  void resume(const std::filesystem::path& checkpoint);

  // Makes this trainer one of `parallel.ranks` processes of a synchronous
  // data-parallel run (data_parallel.hpp); before resume() and run(). Every
  // process must call run() with the same config and data; one process alone
  // should have a run folder. Batch norm normalizes with the statistics of the
  // process's own rows (as PyTorch's DistributedDataParallel without
  // SyncBatchNorm), and its running statistics are averaged over the processes
  // before each evaluation and checkpoint. Dropout masks come from a stream of
  // each process's own, so with dropout the run differs from one process's;
  // without it, it equals one process's up to the order of float sums.
  void set_data_parallel(DataParallel parallel);

  // Called after every iteration; returning true stops the run (Interrupted),
  // after writing a checkpoint.
  std::function<bool(const Progress&)> on_iteration;
  // Called after every epoch's evaluation.
  std::function<void(const Progress&)> on_epoch;

  TrainResult run();

  const History& history() const { return history_; }
  Network& network() { return network_; }
  const TrainConfig& config() const { return config_; }

  // The payload of a checkpoint of the current state.
  std::string checkpoint_payload() const;

 private:
  void train_iteration();
  // Appends an iteration's loss and learning rate (or step) to the history.
  void record_iteration(float loss, double lr);
  // The loss and gradient of the batch's rows `indices` (this process's share
  // of the `batch_rows` rows of the batch) in batch_x_, batch_y_.
  float batch_loss_and_grad(std::span<const std::uint32_t> indices, std::size_t batch_rows);
  // oLBFGS's step from the gradient just computed on the batch, and its second
  // gradient on the same batch (quasi_newton_loop.cpp).
  void online_lbfgs_step(std::span<const std::uint32_t> indices, std::size_t batch_rows, double lr);
  // The run of lbfgs or cg (quasi_newton_loop.cpp).
  TrainResult run_line_search();
  // Copies the training rows `indices` into batch_x_, batch_y_.
  void copy_batch(std::span<const std::uint32_t> indices);
  // The mean loss of the iterations of the epoch in progress, for its record.
  double epoch_train_loss() const;
  // The distillation loss of the batch in batch_x_, batch_y_ (the training
  // rows `indices`) against their soft labels, and its gradient.
  float distillation_loss_and_grad(std::span<const std::uint32_t> indices);
  // Under data parallelism: the loss and gradient of the whole batch of
  // `batch_rows` rows from this process's, of `rows` rows, on every process.
  float sum_over_processes(float loss, std::size_t rows, std::size_t batch_rows);
  // Under data parallelism, the mean of batch norm's running statistics over
  // the processes.
  void average_buffers();
  // The generator of this process's dropout masks for the iteration in progress.
  Rng& dropout_rng();
  double current_learning_rate() const;
  // Why the run must stop as diverged after the latest iteration; empty if not.
  std::string divergence() const;
  void end_epoch();
  // end_epoch, then the checkpoint, the history files and on_epoch.
  void close_epoch(Progress& progress);
  // Gradient evaluations so far, in passes over the training set.
  double passes() const;
  void save_checkpoint() const;
  void write_history() const;
  void write_results(const TrainResult& result) const;
  // Wall time of the run, including the time before a resume.
  double elapsed_seconds() const;
  TrainResult finish(RunStatus status, std::string message);
  // Stops the run on a callback's request, after a checkpoint.
  TrainResult interrupt();
  // The averaged weights copied into averaged_network_.
  Network& averaged_network();

  TrainConfig config_;
  const DataSplits& data_;
  std::filesystem::path run_dir_;
  Network network_;
  std::unique_ptr<Optimizer<float>> optimizer_;         // first-order methods
  std::optional<OnlineLbfgs<float>> online_lbfgs_;       // olbfgs
  std::optional<LineSearchIteration<float>> line_search_;  // lbfgs, cg
  Schedule schedule_;
  BatchSampler sampler_;
  Rng data_rng_;        // shuffles the minibatches
  Rng dropout_rng_;     // draws dropout masks
  DataParallel parallel_;
  Rng shard_dropout_rng_;  // dropout masks of processes other than the first
  Dataset train_eval_;  // the fixed subset for training accuracy

  std::size_t epoch_ = 0;  // epochs completed
  std::size_t batch_ = 0;  // batches completed in the epoch in progress
  std::size_t iteration_ = 0;
  // Gradient evaluations so far, counted in samples: passes = this / n.
  std::uint64_t samples_evaluated_ = 0;
  // lbfgs, cg on large batches: batches done of the shuffled order in progress.
  std::size_t line_batch_ = 0;
  double seconds_before_ = 0;  // wall time spent before a resume
  double epoch_loss_sum_ = 0;
  // Exponential moving average of the loss, beta = 0.9, without bias correction
  // (divergence() corrects it); a function of history_.loss, so not saved.
  double loss_average_ = 0;
  static constexpr double kLossAverageBeta = 0.9;
  History history_;
  std::size_t best_epoch_ = 0;
  double best_val_accuracy_ = -1;
  std::vector<float> best_params_;
  std::vector<float> best_buffers_;
  std::optional<WeightAverage> average_;    // set when the config averages
  std::optional<Network> averaged_network_;  // evaluates average_
  std::optional<SnapshotPlan> snapshots_;   // set when the config takes snapshots

  Matrix batch_x_;  // (batch_size, d)
  std::vector<std::int32_t> batch_y_;
  Matrix batch_soft_labels_;  // (batch_size, C) the teacher's, when distilling
  std::chrono::steady_clock::time_point start_;
};

}  // namespace descent

// The training loop, in the spirit of cs231n's Solver: iterations over
// epochs, the loss of every iteration, training and validation accuracy after
// every epoch, the best parameters by validation accuracy, and the test
// accuracy of those best parameters at the end.
//
// How an iteration is taken is the run's TrainingMethod (training_method.hpp:
// a first-order step, online L-BFGS, a line search); the loop around it is the
// same for all: record, watch for divergence, feed the averaged model, take
// snapshots, close epochs, checkpoint, and stop when asked. Every run records
// per iteration the passes over the data its gradient evaluations add up to,
// so that curves of different methods compare at equal work.
//
// A run can be stopped (a callback returns true, or a checkpoint is simply the
// last thing a killed process wrote) and resumed from its checkpoint; the
// resumed run produces the same numbers, bit for bit, as one never stopped.
//
// With weight averaging on (config.average), the run also keeps the averaged
// weights (averaged_model.hpp), measures them on the validation set after
// every epoch, and at the end writes them as model_ema.bin or model_swa.bin
// with their test accuracy. With config.snapshots = M, it follows the
// snapshot-ensemble schedule and writes the M snapshots (snapshot.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "descent/data/sources.hpp"
#include "descent/nn/network.hpp"
#include "descent/optim/schedule.hpp"
#include "descent/train/averaged_model.hpp"
#include "descent/train/best_parameters.hpp"
#include "descent/train/config.hpp"
#include "descent/train/data_parallel.hpp"
#include "descent/train/divergence_monitor.hpp"
#include "descent/train/history.hpp"
#include "descent/train/run_folder.hpp"
#include "descent/train/run_result.hpp"
#include "descent/train/shard_objective.hpp"
#include "descent/train/snapshot.hpp"
#include "descent/train/training_method.hpp"

namespace descent {

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
  // Builds the network, the training method and the data order of a fresh
  // run. If `run_dir` is not empty, the run writes its files there
  // (run_folder.hpp). A config with a teacher distills: the training set's
  // soft_labels must then hold the teacher's probabilities at the config's
  // temperature (ShapeError otherwise).
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
  void record_iteration(const IterationResult& step);
  double learning_rate() const;
  // The evaluations and record of the epoch just done, then its checkpoint,
  // history files and on_epoch.
  void close_epoch();
  void end_epoch();
  Progress progress() const;
  // Under data parallelism, the mean of batch norm's running statistics over
  // the processes.
  void average_buffers();
  void save_checkpoint();
  // Wall time of the run, including the time before a resume.
  double elapsed_seconds() const;
  TrainResult finish(RunStatus status, std::string message);
  TrainResult interrupt();

  TrainConfig config_;
  const DataSplits& data_;
  RunFolder folder_;
  Network network_;
  ShardObjective objective_;
  std::unique_ptr<TrainingMethod> method_;
  Schedule schedule_;
  DataParallel parallel_;
  Dataset train_eval_;  // the fixed subset for training accuracy
  DivergenceMonitor divergence_;
  BestParameters best_;
  std::optional<AveragedModel> averaged_;  // when the config averages
  std::optional<SnapshotPlan> snapshots_;  // when the config takes snapshots
  History history_;

  std::size_t epoch_ = 0;  // epochs completed
  std::size_t iteration_ = 0;
  double epoch_loss_sum_ = 0;  // of the iterations since the last epoch's record
  double seconds_before_ = 0;  // wall time spent before a resume
  double train_seconds_ = 0;   // in iterations, evaluations left out; resumes included
  std::chrono::steady_clock::time_point start_;
};

}  // namespace descent

// Runs an experiment's runs into one folder (docs/compare-folder.md), several
// at a time, each one an ordinary training run with its own run folder.
//
// A sweep is resumable: run it again into the same folder and finished (or
// diverged) runs are kept, interrupted runs resume from their checkpoints, and
// the rest start. Groups that take their learning rates from another group's
// best run start once that group is done.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "descent/data/sources.hpp"
#include "descent/experiment/experiment.hpp"
#include "descent/experiment/time_to_target.hpp"
#include "descent/train/trainer.hpp"

namespace descent {

// One of several processes that share a sweep (descent compare --distributed,
// on MPI): of each wave's runs still to train, process `rank` trains those at
// positions rank, rank + ranks, ...; only process 0 writes the sweep's own
// files. After each wave `barrier` waits for every process, and the runs that
// others trained are read back from their folders, so the next wave's best
// learning rates are the same everywhere.
struct SweepShare {
  std::size_t rank = 0;
  std::size_t ranks = 1;
  std::function<void()> barrier;  // needed when ranks > 1
};

struct SweepOptions {
  std::filesystem::path out_dir;
  std::size_t jobs = 1;     // runs trained at the same time
  int threads_per_run = 1;  // OpenMP and OpenBLAS threads of each run
  SweepShare share;         // one process alone by default
  // What time to target measures (summary.json's steps_to_target, ...).
  Target target{EpochMetric::val_acc, 0.88};
  // A finished run's checkpoint.bin is deleted unless this is set: only
  // unfinished runs need theirs to resume.
  bool keep_checkpoints = false;
  // Once every run has ended, only each optimizer's best run (final
  // validation accuracy) and the other seeds of its configuration keep their
  // model.bin, unless this is set.
  bool keep_models = false;
  // Writes a TensorBoard event file into each run's folder when it ends.
  bool tensorboard = true;
};

struct RunRecord {
  RunSpec spec;
  // Pending (not started, or interrupted), Finished or Diverged, with the
  // results so far.
  TrainResult result = pending_result();
  bool kept = false;  // ended in an earlier invocation of the sweep
  // When the run reached SweepOptions::target ("val_acc=0.88" in `target`);
  // never while pending.
  std::string target;
  TimeToTarget to_target;
};

struct SweepResult {
  std::vector<RunRecord> runs;  // in the order of experiment.json
  // Group name -> the ids of its runs.
  std::map<std::string, std::vector<std::string>> group_runs;
  bool interrupted = false;  // stopped by `stop`; pending runs remain
};

struct SweepEvents {
  // After each run ends (finished, diverged, or kept from before), with the
  // number of runs ended so far and the number known.
  std::function<void(const RunRecord&, std::size_t ended, std::size_t known)> on_run_end;
  // Set to true (from a signal handler, say) to stop: runs in progress write a
  // checkpoint and stop, no new run starts.
  const std::atomic<bool>* stop = nullptr;
};

// Trains the experiment's runs on `data` into options.out_dir, writing
// experiment.json, summary.json and summary.csv as it goes, and metrics.csv
// (every run's history in long format, metrics_csv.hpp) at the end. ConfigError if the
// folder holds a sweep of another experiment.
SweepResult run_sweep(const Experiment& experiment, const DataSplits& data,
                      const SweepOptions& options, const SweepEvents& events = {});

// How a finished run ranks among others: its final validation accuracy, or,
// for a network without classes (the noisy quadratic), minus its final
// validation loss; higher is better either way.
double run_score(const RunRecord& run);

// Each optimizer's best learning rate among the runs of `run_ids`: the one
// with the highest run_score averaged over seeds, among the learning rates
// whose runs all finished.
std::map<std::string, double> best_learning_rates(const std::vector<RunRecord>& runs,
                                                  const std::vector<std::string>& run_ids);

}  // namespace descent

// `descent train --distributed`, `descent downpour` and `descent compare
// --distributed`: this process's part of a run or sweep that mpirun started
// on several processes (docs/distributed.md).
#pragma once

#include <filesystem>
#include <functional>

#include "descent/experiment/sweep.hpp"

#include "descent/train/config.hpp"

namespace descent {
struct DownpourConfig;
}

namespace descent::cli {

// Joins the MPI job and trains the run of `config` in synchronous data
// parallel; the first process alone writes `run_dir` and prints. Returns the
// exit code of `descent train`. An error on any process ends the whole job
// with its message. ConfigError in a descent built without MPI.
int run_distributed_train(const TrainConfig& config, const std::filesystem::path& run_dir,
                          bool resume, bool quiet);

// Joins the MPI job and trains the run of `config` by Downpour SGD
// (distributed/downpour.hpp), from the checkpoint in `run_dir` if `resume`;
// the first process writes `run_dir` and prints the results. Returns the exit
// code. ConfigError in a descent built without MPI.
int run_downpour_training(const TrainConfig& config, const DownpourConfig& downpour,
                          const std::filesystem::path& run_dir, bool resume);

// Joins the MPI job and runs `sweep` with this process's share of the sweep's
// runs; returns its exit code. An error on any process ends the whole job with
// its message. ConfigError in a descent built without MPI.
int run_distributed_sweep(const std::function<int(const SweepShare&)>& sweep);

}  // namespace descent::cli

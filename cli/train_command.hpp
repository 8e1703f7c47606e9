// `descent train`: flags and config file in, a run folder out.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <istream>
#include <limits>
#include <optional>
#include <string>

#include "descent/data/sources.hpp"
#include "descent/train/config.hpp"
#include "descent/train/trainer.hpp"
#include "optimizer_flags.hpp"
#include "schedule_flags.hpp"

namespace descent::cli {

// The default config, with threads = 0 standing for "all cores".
inline TrainConfig with_all_threads() {
  TrainConfig config;
  config.threads = 0;
  return config;
}

// What the train subcommand's flags fill in; resolve() turns it into a
// validated TrainConfig.
struct TrainArgs {
  TrainConfig config = with_all_threads();
  std::string dataset = "fashion-mnist";
  std::string init = "he";
  std::string data_dir;
  OptimizerArgs optimizer;
  ScheduleArgs schedule;
  std::string schedule_unit = "iteration";
  std::optional<std::uint64_t> data_seed;  // unset: the run's seed
  // Weight averaging and snapshots; unset: off.
  std::optional<double> ema;
  std::optional<std::size_t> swa_start;
  std::optional<double> swa_lr;
  std::optional<std::size_t> snapshots;
  // Distillation's settings; only with a teacher (config.teacher).
  std::optional<double> temperature;
  std::optional<double> alpha;
  std::string out;
  std::string resume;
  bool quiet = false;
  bool distributed = false;  // one process of an MPI job (distributed_train.hpp)
};

// The training flags of commands that train many runs (compare, ensemble):
// runs that blow up stop early, so that the others go on.
inline TrainArgs with_divergence_bound() {
  TrainArgs args;
  args.config.diverge_factor = 3;
  return args;
}

// Which training flags a command takes: all of them, or those of the data,
// the network and the budget only (a sweep chooses optimizers, schedules,
// seeds and threads itself).
enum class TrainFlags { all, without_optimizer };

// Adds the training flags (and --config) to `app`.
void add_train_flags(CLI::App& app, TrainArgs& args, TrainFlags which = TrainFlags::all);
// The subcommand with its flags and its action.
void add_train_command(CLI::App& app);

// Checks the values and completes the config (learning-rate default, seeds);
// ConfigError naming the field otherwise.
TrainConfig resolve(const TrainArgs& args);

// Trains the run of `config` in `run_dir`, continuing from its checkpoint if
// `resume`, with the data's input size and class count filled in; progress on
// stderr unless `quiet`; Ctrl-C stops it after a checkpoint. A finished run
// with snapshots also gets snapshots/ensemble.json. With `parallel`, this
// process's part of a data-parallel run (the first process alone writes the
// folder and prints).
TrainResult train_in_folder(TrainConfig config, const DataSplits& data,
                            const std::filesystem::path& run_dir, bool resume, bool quiet,
                            const DataParallel& parallel = {});

// Sets the network's input size and class count to the data's.
void fit_network_to_data(TrainConfig& config, const DataSplits& data);

// The data of `config`, with the teacher's soft labels when it distills.
DataSplits load_train_data(const TrainConfig& config);

// Prints a finished run's results on stdout (or why it stopped on stderr) and
// returns the exit code of `descent train`.
int report_train_result(const TrainResult& result, const TrainConfig& config,
                        const std::filesystem::path& run_dir);

// Parses a JSON config (the contents of a --config file) into a TrainConfig.
TrainConfig parse_train_config(std::istream& json);

}  // namespace descent::cli

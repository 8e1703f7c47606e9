// `descent train`: flags and config file in, a run folder out.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
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
  // A named test problem (train/problem.hpp): its data, network, batch size
  // and epochs replace the defaults; empty: none.
  std::string problem;
  std::string dataset = "fashion-mnist";
  std::string init = "he";
  std::string data_dir;
  OptimizerArgs optimizer;
  ScheduleConfig schedule;
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
  // Whether a flag ("--epochs") was given, on the command line or in the
  // --config file; set by add_train_flags.
  std::function<bool(const std::string&)> given = [](const std::string&) { return false; };
};

// The training flags of commands that train many runs (compare, ensemble):
// runs that blow up stop early, so that the others go on.
inline TrainArgs with_divergence_bound() {
  TrainArgs args;
  args.config.diverge_factor = 3;
  return args;
}

// Which training flags a command takes: all of them, or those that every run
// of a sweep shares (compare, ensemble, distill: a sweep chooses the seeds and
// threads, and the command its averaging, snapshots or teacher).
enum class TrainFlags { all, for_sweeps };

// Adds the training flags (and --config) to `app`: the data's, the network's,
// the budget's, and every optimizer and schedule flag either way.
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

// The data of `config`, with the teacher's soft labels when it distills.
// With a named problem, a missing file or a sample of the wrong size is an
// error that names the problem and the files it needs.
DataSplits load_train_data(const TrainConfig& config, const std::string& problem = {});

// Prints a finished run's results on stdout (or why it stopped on stderr) and
// returns the exit code of `descent train`.
int report_train_result(const TrainResult& result, const TrainConfig& config,
                        const std::filesystem::path& run_dir);

// Reads a run's config.json (train_config_from_json), validated; ConfigError
// naming the key otherwise.
TrainConfig parse_train_config(std::istream& json);
// The config.json of a run folder; IoError if the folder has none,
// ConfigError naming the file if it does not parse.
TrainConfig read_run_config(const std::filesystem::path& folder);

}  // namespace descent::cli

// Seeded runs of one configuration, trained by the sweep.
#include "seed_runs.hpp"

#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "stop_signal.hpp"

namespace descent::cli {

namespace {

void print_run_end(const RunRecord& run, std::size_t ended, std::size_t known) {
  std::cerr << "[" << ended << "/" << known << "] " << run.spec.id;
  if (run.result.status == RunStatus::Finished) {
    std::cerr << "  test " << percent(run.result.test_accuracy) << "  " << std::fixed
              << std::setprecision(1) << run.result.seconds << " s";
    std::cerr.unsetf(std::ios::fixed);
  } else {
    std::cerr << "  diverged: " << run.result.message;
  }
  std::cerr << (run.kept ? "  (kept from before)" : "") << "\n";
}

}  // namespace

Experiment seed_experiment(const std::string& name, const std::string& title,
                           const TrainConfig& config, const std::vector<std::uint64_t>& seeds) {
  Experiment e;
  e.name = name;
  e.title = title;
  e.base = config;
  e.seeds = seeds;
  GroupSpec group;
  group.name = "members";
  group.title = title;
  group.optimizers = {{config.optimizer, config.optimizer_options, {config.learning_rate}}};
  group.schedules = {{to_string(config.schedule.kind), config.schedule, config.schedule_per_epoch}};
  e.groups = {group};
  e.validate();
  return e;
}

SweepResult train_seed_runs(const Experiment& experiment, const DataSplits& data,
                            const std::filesystem::path& out, std::size_t jobs, bool quiet) {
  SweepOptions options;
  options.out_dir = out;
  options.jobs = jobs;
  options.threads_per_run = 1;
  options.keep_models = true;  // every member is a model of the ensemble
  SweepEvents events;
  events.stop = &stop_requested();
  if (!quiet) events.on_run_end = print_run_end;
  std::optional<StopSignals> signals(std::in_place);
  return run_sweep(experiment, data, options, events);
}

std::vector<std::filesystem::path> run_folders(const SweepResult& sweep,
                                               const std::filesystem::path& out) {
  std::vector<std::filesystem::path> folders;
  for (const RunRecord& run : sweep.runs) folders.push_back(out / "runs" / run.spec.id);
  return folders;
}

}  // namespace descent::cli

// One training configuration run once per seed, the runs trained side by side
// into one folder by the sweep (resumable; Ctrl-C stops them after a
// checkpoint). descent ensemble trains its members this way, descent distill
// its students.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "descent/core/text.hpp"
#include "descent/data/sources.hpp"
#include "descent/experiment/experiment.hpp"
#include "descent/experiment/sweep.hpp"
#include "train_command.hpp"

namespace descent::cli {

// An experiment `name` of one group: `config`, once for each seed.
Experiment seed_experiment(const std::string& name, const std::string& title,
                           const TrainConfig& config, const std::vector<std::uint64_t>& seeds);

// Trains the runs of `experiment` into `out` (out/runs/<id>), `jobs` at a
// time, printing each run's end on stderr unless `quiet`. The result says
// whether a stop signal interrupted it.
SweepResult train_seed_runs(const Experiment& experiment, const DataSplits& data,
                            const std::filesystem::path& out, std::size_t jobs, bool quiet);

// The run folders of a sweep's runs, in order.
std::vector<std::filesystem::path> run_folders(const SweepResult& sweep,
                                               const std::filesystem::path& out);

}  // namespace descent::cli

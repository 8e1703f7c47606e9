// `descent evaluate MODEL`: the accuracy and loss of a saved model (a run
// folder or its model.bin) or of an ensemble (ensemble.json) on a data set,
// prepared as the model's run prepared it.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>

#include "descent/train/config.hpp"

namespace descent::cli {

void add_evaluate_command(CLI::App& app);

// The config.json of a run folder; IoError if the folder has none,
// ConfigError naming the file if it does not parse.
TrainConfig read_run_config(const std::filesystem::path& folder);

}  // namespace descent::cli

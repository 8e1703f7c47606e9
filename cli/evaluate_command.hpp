// `descent evaluate MODEL`: the accuracy and loss of a saved model (a run
// folder or its model.bin) or of an ensemble (ensemble.json) on a data set,
// prepared as the model's run prepared it.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>

#include "descent/train/config.hpp"

namespace descent::cli {

void add_evaluate_command(CLI::App& app);

}  // namespace descent::cli

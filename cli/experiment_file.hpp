// Experiment files of `descent compare --experiment`: the settings part of a
// sweep's experiment.json (docs/experiment-file.md), so a finished sweep's
// file reproduces it.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "descent/experiment/experiment.hpp"
#include "train_command.hpp"

namespace descent::cli {

// Reads the groups, seeds, name and title of the experiment in `json` (read
// from `source`), and applies its "base" settings to `command`'s training
// flags (bound to `args`) that the command line left unset. The experiment's
// base is left for the caller to fill in from `args`. CLI::ConversionError
// naming the source and field for anything malformed.
Experiment read_experiment(const nlohmann::json& json, const std::string& source, CLI::App& command,
                           const TrainArgs& args);

// A whole experiment file on its own, base settings included and validated:
// `descent compare --experiment FILE` with no other flags. CLI::Error or
// descent::Error naming the source and field for anything wrong.
Experiment parse_experiment(const std::string& text, const std::string& source);

}  // namespace descent::cli

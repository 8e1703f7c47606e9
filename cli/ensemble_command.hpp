// `descent ensemble`: train N members of one configuration (different seeds),
// several at a time, or take the best run of each optimizer of a compare
// folder; then score the ensemble on the test set under each rule, against
// its members, its size and its cost in prediction time.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_ensemble_command(CLI::App& app);

}  // namespace descent::cli

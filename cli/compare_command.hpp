// `descent compare`: optimizer and learning-rate sweeps, the cs231n notes'
// comparisons by default, into one folder with a summary and a report.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_compare_command(CLI::App& app);

}  // namespace descent::cli

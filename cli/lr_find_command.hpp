// `descent lr-find`: the learning-rate range test; writes lr_find.json and .csv,
// and its plot (lr_find.png, lr_find.svg) with the suggested rate marked.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_lr_find_command(CLI::App& app);

}  // namespace descent::cli

// `descent problems`: the named test problems (train/problem.hpp) that
// `descent train --problem` and `descent compare --problem` take, one line
// each; with a name, the problem's whole definition and its source.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_problems_command(CLI::App& app);

}  // namespace descent::cli

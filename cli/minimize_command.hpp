// `descent minimize`: an optimizer on a test function, with an optional trace
// (--trace) and the contour plot of its path beside other optimizers' (--plot, --compare).
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_minimize_command(CLI::App& app);

}  // namespace descent::cli

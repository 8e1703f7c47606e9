// `descent downpour`: asynchronous Downpour SGD with parameter servers over
// MPI, under mpirun (distributed/downpour.hpp).
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_downpour_command(CLI::App& app);

}  // namespace descent::cli

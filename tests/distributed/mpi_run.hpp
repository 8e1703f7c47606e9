// descent under mpirun, as the distributed tests start it: K processes on this
// machine, as root if need be, more processes than cores allowed.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "descent/nn/network.hpp"
#include "support/run_descent.hpp"

namespace descent::testing {

// `mpirun ... -np <processes> <program_and_args>`, as a shell command line.
std::string mpi_command(std::size_t processes, const std::string& program_and_args);

// `mpirun -np <processes> descent <args>`, waited for, its output captured in `scratch`.
Outcome run_mpi(std::size_t processes, const std::string& args,
                const std::filesystem::path& scratch);

// The same started in the background; its errors go to `err_file`.
pid_t start_mpi(std::size_t processes, const std::string& args,
                const std::filesystem::path& err_file);

// The ids of the processes that `parent` started (from /proc).
std::vector<pid_t> child_processes(pid_t parent);

// The largest |a_i - b_i| over the parameters of two run folders' model.bin.
float max_parameter_difference(const std::filesystem::path& run_a,
                               const std::filesystem::path& run_b);

}  // namespace descent::testing

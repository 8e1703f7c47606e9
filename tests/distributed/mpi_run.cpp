#include "distributed/mpi_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "descent/train/model_file.hpp"

namespace descent::testing {

// Under AddressSanitizer, leak detection is off in the processes mpirun starts:
// Open MPI's plugins, loaded with dlopen and unloaded before exit, leave
// allocations that LeakSanitizer can attribute to no library ("<unknown
// module>"), so no suppression can name them. The other checks stay on.
std::string mpi_command(std::size_t processes, const std::string& program_and_args) {
  return std::string("env ASAN_OPTIONS=detect_leaks=0 ") + DESCENT_MPIEXEC +
         " --allow-run-as-root --oversubscribe -np " + std::to_string(processes) + " " +
         program_and_args;
}

Outcome run_mpi(std::size_t processes, const std::string& args,
                const std::filesystem::path& scratch) {
  return run_command(mpi_command(processes, std::string(DESCENT_EXE) + " " + args), scratch);
}

pid_t start_mpi(std::size_t processes, const std::string& args,
                const std::filesystem::path& err_file) {
  const std::string command =
      "exec " + mpi_command(processes, std::string(DESCENT_EXE) + " " + args) + " >/dev/null 2>" +
      err_file.string();
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

std::vector<pid_t> child_processes(pid_t parent) {
  std::ifstream in("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) +
                   "/children");
  std::vector<pid_t> children;
  for (pid_t child = 0; in >> child;) children.push_back(child);
  return children;
}

float max_parameter_difference(const std::filesystem::path& run_a,
                               const std::filesystem::path& run_b) {
  const Network a = load_model(run_a / "model.bin");
  const Network b = load_model(run_b / "model.bin");
  const auto pa = a.params().values();
  const auto pb = b.params().values();
  if (pa.size() != pb.size()) return INFINITY;
  float largest = 0;
  for (std::size_t i = 0; i < pa.size(); ++i) largest = std::max(largest, std::abs(pa[i] - pb[i]));
  return largest;
}

}  // namespace descent::testing

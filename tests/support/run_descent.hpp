// The descent program run as a user runs it, for the command-line tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace descent::testing {

struct Outcome {
  int exit_code;  // -1 if the program did not exit normally
  std::string out;
  std::string err;
};

// Runs `descent <args>` (the program built with the tests) with no input, its
// output captured through files in `scratch`; in the folder `cwd` if given.
Outcome run_descent(const std::string& args, const std::filesystem::path& scratch,
                    const std::filesystem::path& cwd = {});
// The same for any command line (a shell's), such as descent under mpirun.
Outcome run_command(const std::string& program_and_args, const std::filesystem::path& scratch,
                    const std::filesystem::path& cwd = {});

// Starts `descent <args>` in the background, its output discarded and its
// errors written to `err_file` (or discarded if empty).
pid_t start_descent(const std::string& args, const std::filesystem::path& err_file = {});

// Waits (a minute at most) until `path` exists and then `delay` more, sends
// `signal` to the process and returns its status as waitpid gives it.
int signal_when_exists(pid_t pid, const std::filesystem::path& path, int signal,
                       std::chrono::milliseconds delay = std::chrono::milliseconds(0));

// One line on stderr that mentions `word`, and a failing exit code.
void expect_one_line_error(const Outcome& outcome, const std::string& word);

}  // namespace descent::testing

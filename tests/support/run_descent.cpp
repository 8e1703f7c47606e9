#include "support/run_descent.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "descent/core/atomic_file.hpp"

namespace descent::testing {

Outcome run_descent(const std::string& args, const std::filesystem::path& scratch,
                    const std::filesystem::path& cwd) {
  return run_command(std::string(DESCENT_EXE) + " " + args, scratch, cwd);
}

Outcome run_command(const std::string& program_and_args, const std::filesystem::path& scratch,
                    const std::filesystem::path& cwd) {
  const auto out = scratch / "stdout.txt";
  const auto err = scratch / "stderr.txt";
  std::string command =
      program_and_args + " >" + out.string() + " 2>" + err.string() + " </dev/null";
  if (!cwd.empty()) command = "cd " + cwd.string() + " && " + command;
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

pid_t start_descent(const std::string& args, const std::filesystem::path& err_file) {
  const std::string command = std::string("exec ") + DESCENT_EXE + " " + args + " >/dev/null 2>" +
                              (err_file.empty() ? std::string("/dev/null") : err_file.string());
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int signal_when_exists(pid_t pid, const std::filesystem::path& path, int signal,
                       std::chrono::milliseconds delay) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!std::filesystem::exists(path) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(delay);
  kill(pid, signal);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

void expect_one_line_error(const Outcome& outcome, const std::string& word) {
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_NE(outcome.err.find(word), std::string::npos) << outcome.err;
  EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
}

}  // namespace descent::testing

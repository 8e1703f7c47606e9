// The descent command line: parses flags, runs one subcommand, and turns every
// error into one line on stderr and a non-zero exit.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "compare_command.hpp"
#include "distill_command.hpp"
#include "distributed_downpour_command.hpp"
#include "descent/core/error.hpp"
#include "ensemble_command.hpp"
#include "evaluate_command.hpp"
#include "lr_find_command.hpp"
#include "minimize_command.hpp"
#include "problems_command.hpp"
#include "report_command.hpp"
#include "train_command.hpp"

namespace {

// OpenMP threads that go to sleep between the many small parallel regions of a
// training step (each matrix product is one) wake too late: with libgomp's
// default wait policy, 2 threads trained the 5x100 network at half the speed
// of 1; spinning, 2 threads are faster than 1. libgomp reads the policy once,
// when it loads, so the program sets it and starts itself again. A policy the
// user set is kept.
void prefer_spinning_threads(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  setenv("OMP_WAIT_POLICY", "active", 1);
  execv("/proc/self/exe", argv);
  // If the program cannot start itself again, it runs with the default policy.
}

}  // namespace

int main(int argc, char** argv) {
  prefer_spinning_threads(argv);
  CLI::App app("descent: optimizers for training neural networks, measured", "descent");
  app.require_subcommand(1);
  app.set_version_flag("--version", "descent 0.1.0");
  descent::cli::add_train_command(app);
  descent::cli::add_minimize_command(app);
  descent::cli::add_compare_command(app);
  descent::cli::add_lr_find_command(app);
  descent::cli::add_report_command(app);
  descent::cli::add_ensemble_command(app);
  descent::cli::add_evaluate_command(app);
  descent::cli::add_distill_command(app);
  descent::cli::add_downpour_command(app);
  descent::cli::add_problems_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::Error& e) {
    std::cerr << "descent: " << e.what() << "\n";
    return 2;
  } catch (const descent::Error& e) {
    std::cerr << "descent: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "descent: unexpected error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

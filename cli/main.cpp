// The descent command line: parses flags, runs one subcommand, and turns every
// error into one line on stderr and a non-zero exit.
#include <CLI/CLI.hpp>
#include <iostream>

#include "descent/core/error.hpp"
#include "minimize_command.hpp"
#include "train_command.hpp"

int main(int argc, char** argv) {
  CLI::App app("descent: optimizers for training neural networks, measured", "descent");
  app.require_subcommand(1);
  app.set_version_flag("--version", "descent 0.1.0");
  descent::cli::add_train_command(app);
  descent::cli::add_minimize_command(app);
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

#include "distributed_downpour_command.hpp"

#include <memory>

#include "given_flags.hpp"
#include "dated_folder.hpp"
#include "descent/core/error.hpp"
#include "descent/distributed/downpour.hpp"
#include "distributed_train.hpp"
#include "evaluate_command.hpp"
#include "train_command.hpp"

namespace descent::cli {

namespace {

struct DownpourArgs {
  TrainArgs train;
  DownpourConfig downpour;
  std::string out;
  std::string resume;
};

// The run's settings from its config.json; the Downpour settings come from
// the command line, and the checkpoint checks them.
TrainConfig resumed_config(const CLI::App& command, const std::filesystem::path& run_dir) {
  refuse_flags_besides(command, {"--resume", "--servers", "--n-fetch", "--n-push"},
                       "--resume, which takes every setting but --servers, --n-fetch and "
                       "--n-push from the run's config.json");
  return read_run_config(run_dir);
}

}  // namespace

void add_downpour_command(CLI::App& app) {
  auto args = std::make_shared<DownpourArgs>();
  CLI::App* command = app.add_subcommand(
      "downpour",
      "Asynchronous SGD with parameter servers (Dean et al. 2012): mpirun -np K descent "
      "downpour --servers S --optimizer adagrad ...");
  add_train_flags(*command, args->train);
  command->add_option("--servers", args->downpour.servers,
                      "Processes that hold the parameters (the first ones); the others train");
  command->add_option("--n-fetch", args->downpour.n_fetch,
                      "Steps between a worker's fetches of fresh parameters");
  command->add_option("--n-push", args->downpour.n_push,
                      "Steps between a worker's pushes of its summed gradients");
  command->add_option("--out", args->out, "Run folder (default: runs/downpour-<date>-<time>)")
      ->configurable(false);
  command
      ->add_option("--resume", args->resume,
                   "Continue the run in this folder from its last checkpoint, on as many "
                   "processes and with the same --servers, --n-fetch and --n-push")
      ->configurable(false);
  command->final_callback([args, command] {
    int code = 0;
    if (!args->resume.empty()) {
      code = run_downpour_training(resumed_config(*command, args->resume), args->downpour,
                                   args->resume, true);
    } else {
      const std::string out = args->out.empty() ? dated_folder("runs/downpour-") : args->out;
      code = run_downpour_training(resolve(args->train), args->downpour, out, false);
    }
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

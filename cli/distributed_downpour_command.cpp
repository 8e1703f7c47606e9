#include "distributed_downpour_command.hpp"

#include <memory>

#include "dated_folder.hpp"
#include "descent/distributed/downpour.hpp"
#include "distributed_train.hpp"
#include "train_command.hpp"

namespace descent::cli {

namespace {

struct DownpourArgs {
  TrainArgs train;
  DownpourConfig downpour;
  std::string out;
};

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
  command->final_callback([args] {
    const std::string out = args->out.empty() ? dated_folder("runs/downpour-") : args->out;
    const int code = run_downpour_training(resolve(args->train), args->downpour, out);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

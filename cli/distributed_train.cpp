#include "distributed_train.hpp"

#include <exception>
#include <iostream>

#include "descent/distributed/downpour.hpp"
#include "descent/distributed/mpi_world.hpp"
#include "train_command.hpp"

namespace descent::cli {

int run_distributed_train(const TrainConfig& config, const std::filesystem::path& run_dir,
                          bool resume, bool quiet) {
  const MpiWorld world;
  try {
    const DataSplits data = load_train_data(config);
    const TrainResult result =
        train_in_folder(config, data, run_dir, resume, quiet, world.data_parallel());
    if (world.rank() != 0) return result.status == RunStatus::Finished ? 0 : 1;
    return report_train_result(result, config, run_dir);
  } catch (const std::exception& e) {
    // The other processes may be waiting for this one: end them all.
    world.abort(e.what());
  }
}

int run_distributed_sweep(const std::function<int(const SweepShare&)>& sweep) {
  const MpiWorld world;
  try {
    return sweep({world.rank(), world.size(), [&world] { world.barrier(); }});
  } catch (const std::exception& e) {
    world.abort(e.what());
  }
}

int run_downpour_training(const TrainConfig& config, const DownpourConfig& downpour,
                          const std::filesystem::path& run_dir, bool resume) {
  const MpiWorld world;
  try {
    downpour.validate(world.size(), config);
    const DataSplits data = load_train_data(config);
    TrainConfig fitted = config;
    fit_network_to_data(fitted, data);
    const TrainResult result =
        run_downpour(world, fitted, data, downpour, RunFolder(run_dir), resume);
    if (world.rank() != 0) return 0;
    std::cout << "test accuracy " << result.test_accuracy << "  test loss " << result.test_loss
              << "  (" << result.details["gradients"] << " gradients, staleness mean "
              << result.details["staleness_mean"] << " max " << result.details["staleness_max"]
              << ", " << result.seconds << " s)\n"
              << "run folder: " << run_dir.string() << "\n";
    return 0;
  } catch (const std::exception& e) {
    world.abort(e.what());
  }
}

}  // namespace descent::cli

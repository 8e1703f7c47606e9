#include "distributed_train.hpp"

#include <chrono>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/distributed/downpour.hpp"
#include "descent/distributed/mpi_world.hpp"
#include "descent/train/model_file.hpp"
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
                          const std::filesystem::path& run_dir) {
  const MpiWorld world;
  try {
    downpour.validate(world.size());
    const auto start = std::chrono::steady_clock::now();
    const DataSplits data = load_train_data(config);
    TrainConfig fitted = config;
    fit_network_to_data(fitted, data);
    Network network(fitted.network, fitted.seed);
    const Staleness staleness = run_downpour(world, fitted, data, downpour, network);
    if (world.rank() != 0) return 0;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto test = network.evaluate(data.test.features, data.test.labels);
    const auto val = network.evaluate(data.validation.features, data.validation.labels);
    std::filesystem::create_directories(run_dir);
    write_file_atomic(run_dir / "config.json", to_json(fitted).dump(2) + "\n");
    save_model(run_dir / "model.bin", network);
    const nlohmann::json metrics = {
        {"method", "downpour"},
        {"servers", downpour.servers},
        {"workers", world.size() - downpour.servers},
        {"n_fetch", downpour.n_fetch},
        {"n_push", downpour.n_push},
        {"gradients", staleness.gradients},
        {"staleness_mean", staleness.mean},
        {"staleness_max", staleness.max},
        {"val_acc", val.accuracy},
        {"test_acc", test.accuracy},
        {"test_loss", test.loss},
        {"seconds", seconds},
    };
    write_file_atomic(run_dir / "metrics.json", metrics.dump(2) + "\n");
    std::cout << "test accuracy " << test.accuracy << "  test loss " << test.loss << "  ("
              << staleness.gradients << " gradients, staleness mean " << staleness.mean
              << " max " << staleness.max << ", " << seconds << " s)\n"
              << "run folder: " << run_dir.string() << "\n";
    return 0;
  } catch (const std::exception& e) {
    world.abort(e.what());
  }
}

}  // namespace descent::cli

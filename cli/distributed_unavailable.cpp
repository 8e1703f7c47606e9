// `descent train --distributed` and `descent downpour` in a descent built
// without MPI.
#include "descent/core/error.hpp"
#include "distributed_train.hpp"

namespace descent::cli {

namespace {

[[noreturn]] void built_without_mpi() {
  throw ConfigError(
      "distributed: this descent was built without MPI; configure it with -DDESCENT_WITH_MPI=ON");
}

}  // namespace

int run_distributed_train(const TrainConfig&, const std::filesystem::path&, bool, bool) {
  built_without_mpi();
}

int run_distributed_sweep(const std::function<int(const SweepShare&)>&) { built_without_mpi(); }

int run_downpour_training(const TrainConfig&, const DownpourConfig&,
                          const std::filesystem::path&, bool) {
  built_without_mpi();
}

}  // namespace descent::cli

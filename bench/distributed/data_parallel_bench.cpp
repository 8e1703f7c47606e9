// Synchronous data-parallel training under mpirun: samples per second of the
// trainer's loop (descent::Trainer with DataParallel over MPI), the time per
// step it spends in the gradient's allreduce (which includes waiting for the
// slowest process), and, for scale, a plain MPI_Allreduce of a buffer of the
// same length timed by the same program.
//
//   mpirun -np K data_parallel_bench [steps]
//
// Networks: 784-100x5-10 at global batch 100 (cs231n's five-layer network)
// and 784-1000-500-100-10 at global batch 128 (the large one), on random but
// fixed data of Fashion-MNIST's shape, one thread per process, SGD.
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "descent/distributed/mpi_world.hpp"
#include "descent/train/trainer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

descent::Dataset random_dataset(std::size_t n, std::uint64_t seed) {
  descent::Rng rng(seed);
  descent::Dataset data;
  data.num_classes = 10;
  data.features.resize(static_cast<Eigen::Index>(n), 784);
  for (Eigen::Index i = 0; i < data.features.size(); ++i) {
    data.features.data()[i] = static_cast<float>(rng.normal());
  }
  for (std::size_t i = 0; i < n; ++i) data.labels.push_back(static_cast<std::int32_t>(rng.below(10)));
  return data;
}

// Mean seconds of one MPI_Allreduce of `n` floats, over `repeats`.
double plain_allreduce_seconds(std::size_t n, std::size_t repeats) {
  std::vector<float> buffer(n, 1.0f);
  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = Clock::now();
  for (std::size_t r = 0; r < repeats; ++r) {
    MPI_Allreduce(MPI_IN_PLACE, buffer.data(), static_cast<int>(n), MPI_FLOAT, MPI_SUM,
                  MPI_COMM_WORLD);
  }
  return std::chrono::duration<double>(Clock::now() - start).count() /
         static_cast<double>(repeats);
}

void measure(const descent::MpiWorld& world, const std::string& name,
             std::vector<std::size_t> hidden, std::size_t batch, std::size_t steps) {
  descent::DataSplits data;
  data.train = random_dataset(batch * steps, 1);
  data.validation = random_dataset(100, 2);
  data.test = random_dataset(100, 3);
  descent::TrainConfig config;
  config.network.hidden = std::move(hidden);
  config.epochs = 1;
  config.batch_size = batch;
  config.train_eval_samples = 100;
  config.threads = 1;
  descent::Trainer trainer(config, data);
  double allreduce_seconds = 0;
  descent::DataParallel parallel = world.data_parallel();
  parallel.sum = [&](std::span<float> values) {
    const auto start = Clock::now();
    world.sum(values);
    allreduce_seconds += std::chrono::duration<double>(Clock::now() - start).count();
  };
  trainer.set_data_parallel(parallel);
  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = Clock::now();
  const descent::TrainResult result = trainer.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const std::size_t params = trainer.network().params().size();
  const double plain = plain_allreduce_seconds(params, steps);
  if (result.iterations != steps) {
    world.abort(name + ": the run stopped after " + std::to_string(result.iterations) + " of " +
                std::to_string(steps) + " steps: " + result.message);
  }
  if (world.rank() == 0) {
    std::printf("%-22s np %zu  %9.0f samples/s  allreduce %.3f ms/step (plain MPI_Allreduce of "
                "%zu floats: %.3f ms)\n",
                name.c_str(), world.size(), static_cast<double>(batch * steps) / seconds,
                1e3 * allreduce_seconds / static_cast<double>(steps), params, 1e3 * plain);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const descent::MpiWorld world;
  const std::size_t steps = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
  measure(world, "784-100x5-10 b100", {100, 100, 100, 100, 100}, 100, steps);
  measure(world, "784-1000-500-100-10 b128", {1000, 500, 100}, 128, steps);
  return 0;
}

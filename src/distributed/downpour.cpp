#include "descent/distributed/downpour.hpp"

#include <mpi.h>

#include <algorithm>
#include <array>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/data/batches.hpp"
#include "descent/optim/registry.hpp"

namespace descent {

namespace {

// Message tags. A worker's request is a header {kind, version}; a push is
// followed by the gradient, a fetch answered by the version and the parameters.
enum Tag : int { kHeader = 1, kGradient, kVersion, kParams, kFinal };
enum Kind : std::uint64_t { kFetch = 1, kPush, kDone };

void send_header(Kind kind, std::uint64_t version, std::size_t server) {
  const std::array<std::uint64_t, 2> header = {kind, version};
  MPI_Send(header.data(), 2, MPI_UINT64_T, static_cast<int>(server), kHeader, MPI_COMM_WORLD);
}

// Staleness summed, counted and maximized on one server.
struct StalenessSums {
  double sum = 0;
  double count = 0;
  double max = 0;
};

StalenessSums serve(const TrainConfig& config, std::span<float> shard, std::size_t workers) {
  const auto optimizer = make_optimizer<float>(config.optimizer, config.optimizer_options);
  const auto lr = static_cast<float>(config.learning_rate);
  std::vector<float> gradient(shard.size());
  const int n = static_cast<int>(shard.size());
  std::uint64_t version = 0;  // updates applied to this shard
  StalenessSums staleness;
  for (std::size_t done = 0; done < workers;) {
    std::array<std::uint64_t, 2> header{};
    MPI_Status status;
    MPI_Recv(header.data(), 2, MPI_UINT64_T, MPI_ANY_SOURCE, kHeader, MPI_COMM_WORLD, &status);
    const int worker = status.MPI_SOURCE;
    if (header[0] == kFetch) {
      MPI_Send(&version, 1, MPI_UINT64_T, worker, kVersion, MPI_COMM_WORLD);
      MPI_Send(shard.data(), n, MPI_FLOAT, worker, kParams, MPI_COMM_WORLD);
    } else if (header[0] == kPush) {
      MPI_Recv(gradient.data(), n, MPI_FLOAT, worker, kGradient, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      const auto stale = static_cast<double>(version - header[1]);
      staleness.sum += stale;
      staleness.count += 1;
      staleness.max = std::max(staleness.max, stale);
      optimizer->step(shard, gradient, lr);
      ++version;
    } else {
      ++done;
    }
  }
  return staleness;
}

struct Worker {
  const TrainConfig& config;
  const std::vector<RowRange>& shards;  // of the parameter buffer, one per server
  Network& network;
  std::vector<std::uint64_t> versions;  // of each server's shard at the last fetch

  void fetch() {
    const auto params = network.params().values();
    for (std::size_t s = 0; s < shards.size(); ++s) {
      MPI_Status status;
      send_header(kFetch, 0, s);
      MPI_Recv(&versions[s], 1, MPI_UINT64_T, static_cast<int>(s), kVersion, MPI_COMM_WORLD,
               &status);
      MPI_Recv(params.data() + shards[s].begin, static_cast<int>(shards[s].size()), MPI_FLOAT,
               static_cast<int>(s), kParams, MPI_COMM_WORLD, &status);
    }
  }

  void push(std::span<float> accumulated) {
    for (std::size_t s = 0; s < shards.size(); ++s) {
      send_header(kPush, versions[s], s);
      MPI_Send(accumulated.data() + shards[s].begin, static_cast<int>(shards[s].size()), MPI_FLOAT,
               static_cast<int>(s), kGradient, MPI_COMM_WORLD);
    }
    std::fill(accumulated.begin(), accumulated.end(), 0.0f);
  }

  // Epochs over this worker's rows `train`, fetching and pushing on schedule.
  void train(const Dataset& train, const DownpourConfig& downpour, std::uint64_t seed) {
    BatchSampler sampler(train.size(), config.batch_size);
    Rng rng(seed);
    std::vector<float> accumulated(network.params().size(), 0.0f);
    Matrix x(static_cast<Eigen::Index>(config.batch_size), static_cast<Eigen::Index>(train.dim()));
    std::vector<std::int32_t> y;
    const std::size_t steps = config.epochs * sampler.batches_per_epoch();
    for (std::size_t step = 0; step < steps; ++step) {
      const std::size_t batch = step % sampler.batches_per_epoch();
      if (batch == 0) sampler.start_epoch(rng);
      if (step % downpour.n_fetch == 0) fetch();
      const auto indices = sampler.batch(batch);
      x.resize(static_cast<Eigen::Index>(indices.size()), x.cols());
      y.resize(indices.size());
      for (std::size_t r = 0; r < indices.size(); ++r) {
        x.row(static_cast<Eigen::Index>(r)) = train.features.row(indices[r]);
        y[r] = train.labels[indices[r]];
      }
      network.loss_and_grad(x, y, rng);
      const auto grads = network.params().grads();
      for (std::size_t i = 0; i < grads.size(); ++i) accumulated[i] += grads[i];
      if ((step + 1) % downpour.n_push == 0 || step + 1 == steps) push(accumulated);
    }
    for (std::size_t s = 0; s < shards.size(); ++s) send_header(kDone, 0, s);
  }
};

}  // namespace

void DownpourConfig::validate(std::size_t processes) const {
  if (servers < 1 || servers >= processes) {
    throw ConfigError("servers: expected at least 1 and fewer than the " +
                      std::to_string(processes) + " processes, got " + std::to_string(servers));
  }
  if (n_fetch < 1) throw ConfigError("n-fetch: expected at least 1, got 0");
  if (n_push < 1) throw ConfigError("n-push: expected at least 1, got 0");
}

Staleness run_downpour(const MpiWorld& world, const TrainConfig& config, const DataSplits& data,
                       const DownpourConfig& downpour, Network& network) {
  downpour.validate(world.size());
  const std::size_t workers = world.size() - downpour.servers;
  if (data.train.size() < workers) {
    throw ConfigError("downpour: " + std::to_string(workers) + " workers need at least as many " +
                      "training samples, got " + std::to_string(data.train.size()));
  }
  std::vector<RowRange> shards;
  for (std::size_t s = 0; s < downpour.servers; ++s) {
    shards.push_back(shard_rows(network.params().size(), s, downpour.servers));
  }
  const auto params = network.params().values();
  StalenessSums local;
  if (world.rank() < downpour.servers) {
    const RowRange mine = shards[world.rank()];
    local = serve(config, params.subspan(mine.begin, mine.size()), workers);
  } else {
    const std::size_t w = world.rank() - downpour.servers;
    const RowRange rows = shard_rows(data.train.size(), w, workers);
    std::vector<std::uint32_t> indices(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) indices[i] = static_cast<std::uint32_t>(rows.begin + i);
    Worker worker{config, shards, network, std::vector<std::uint64_t>(shards.size(), 0)};
    // Seeds are base + rank: each worker its own shuffles and dropout masks.
    worker.train(take_rows(data.train, indices), downpour, config.seed + world.rank());
  }
  // The servers' shards to process 0, the staleness sums to process 0.
  for (std::size_t s = 1; s < downpour.servers; ++s) {
    if (world.rank() == s) {
      MPI_Send(params.data() + shards[s].begin, static_cast<int>(shards[s].size()), MPI_FLOAT, 0,
               kFinal, MPI_COMM_WORLD);
    } else if (world.rank() == 0) {
      MPI_Recv(params.data() + shards[s].begin, static_cast<int>(shards[s].size()), MPI_FLOAT,
               static_cast<int>(s), kFinal, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
  }
  std::array<double, 2> sums = {local.sum, local.count};
  std::array<double, 2> total{};
  double max = 0;
  MPI_Reduce(sums.data(), total.data(), 2, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(&local.max, &max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  if (world.rank() != 0) return {};
  return {static_cast<std::uint64_t>(total[1]), total[1] > 0 ? total[0] / total[1] : 0.0,
          static_cast<std::uint64_t>(max)};
}

}  // namespace descent

// Downpour SGD (Dean et al. 2012, Section 4.1): asynchronous training with
// parameter servers. The first `servers` processes each hold a contiguous
// shard of the flat parameter buffer and apply an optimizer of the registry
// to it (AdaGrad in the paper) whenever a gradient arrives; the other
// processes are workers, each training a replica on its own shard of the
// training rows: every n_fetch steps it fetches fresh parameters from the
// servers, and every n_push steps it pushes the sum of its gradients since
// its last push. Workers never wait for each other, only for the servers'
// replies, over MPI point-to-point messages.
//
// Staleness of a gradient: the updates its server applied between the fetch
// of the parameters it was computed on and its own application (0 when no
// other gradient came in between).
//
// Conventions: the learning rate is the config's base rate, constant (the
// schedule is not applied); a worker's replica changes only by fetches; the
// paper's adaptive balancing of slow machines is not modelled.
#pragma once

#include <cstdint>

#include "descent/data/sources.hpp"
#include "descent/distributed/mpi_world.hpp"
#include "descent/nn/network.hpp"
#include "descent/train/config.hpp"

namespace descent {

struct DownpourConfig {
  std::size_t servers = 1;  // the first processes; at least 1, and fewer than the processes
  std::size_t n_fetch = 1;  // steps between a worker's fetches, >= 1
  std::size_t n_push = 1;   // steps between a worker's pushes, >= 1
  // ConfigError naming the field for values out of range on `processes` processes.
  void validate(std::size_t processes) const;
};

struct Staleness {
  std::uint64_t gradients = 0;  // gradients applied, over all servers
  double mean = 0;
  std::uint64_t max = 0;
};

// This process's part of the run of `config` on `data`; every process calls it.
// `network` must be built from the config with the same seed on every process.
// On return, process 0's `network` holds the servers' final parameters, and
// its result the staleness over all servers (other processes: zeros).
Staleness run_downpour(const MpiWorld& world, const TrainConfig& config, const DataSplits& data,
                       const DownpourConfig& downpour, Network& network);

}  // namespace descent

// Downpour SGD (Dean et al. 2012, Section 4.1): asynchronous training with
// parameter servers. The first `servers` processes each hold a contiguous
// shard of the flat parameter buffer and apply an optimizer of the registry
// to it (AdaGrad in the paper) whenever a gradient arrives; the other
// processes are workers, each training a replica on its own shard of the
// training rows: every n_fetch steps it fetches fresh parameters from the
// servers, and every n_push steps it pushes the sum of its gradients since
// its last push. Within an epoch workers never wait for each other, only for
// the servers' replies, over MPI point-to-point messages.
//
// Staleness of a gradient: the updates its server applied between the fetch
// of the parameters it was computed on and its own application (0 when no
// other gradient came in between).
//
// Epochs and checkpoints: at the end of each epoch (each worker's pass over
// its rows) the workers wait for one another, so that the servers' shards,
// their optimizers' state and every worker's state (replica, unpushed
// gradient, shuffling) make one consistent checkpoint, which the first
// process writes to the run folder with the epoch's record (training loss,
// validation accuracy of the servers' parameters). A resumed run continues
// from it on the same number of servers and workers; with one worker the
// order of messages is fixed, and the resumed run equals an uninterrupted one
// bit for bit.
//
// The run folder is an ordinary one (run_folder.hpp): config.json,
// checkpoint.bin, history.*, model.bin (the servers' final parameters), and
// metrics.json with Downpour's fields in its details (method, servers,
// workers, n_fetch, n_push, gradients, staleness_mean, staleness_max). An
// iteration of its history is one step of every worker: its loss the mean of
// their minibatch losses.
//
// Conventions: the learning rate is the config's base rate, constant (the
// schedule is not applied); a worker's replica changes only by fetches; the
// paper's adaptive balancing of slow machines is not modelled.
#pragma once

#include <cstdint>

#include "descent/data/sources.hpp"
#include "descent/distributed/mpi_world.hpp"
#include "descent/train/config.hpp"
#include "descent/train/run_folder.hpp"
#include "descent/train/run_result.hpp"

namespace descent {

struct DownpourConfig {
  std::size_t servers = 1;  // the first processes; at least 1, and fewer than the processes
  std::size_t n_fetch = 1;  // steps between a worker's fetches, >= 1
  std::size_t n_push = 1;   // steps between a worker's pushes, >= 1
  // ConfigError naming the field for values out of range on `processes`
  // processes, or for the trainer's drop-last and shuffle-once, which the
  // workers, each shuffling its own shard every epoch, do not follow.
  void validate(std::size_t processes, const TrainConfig& config) const;
};

// This process's part of the run of `config` on `data`; every process calls
// it with the same arguments. The first process writes `folder` (continuing
// from its checkpoint when `resume`) and returns the run's result; the others
// return an empty result.
TrainResult run_downpour(const MpiWorld& world, const TrainConfig& config, const DataSplits& data,
                         const DownpourConfig& downpour, const RunFolder& folder, bool resume);

}  // namespace descent

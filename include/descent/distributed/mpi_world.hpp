// The processes of an MPI job (MPI_COMM_WORLD) as descent uses them, behind a
// header that needs no mpi.h. One MpiWorld per process: the constructor
// initializes MPI, the destructor finalizes it.
//
// Failure: MPI's default error handler (MPI_ERRORS_ARE_FATAL) stays on, and
// mpirun ends the whole job when one of its processes dies, so a process
// waiting on a dead peer is stopped rather than left hanging.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "descent/train/data_parallel.hpp"

namespace descent {

class MpiWorld {
 public:
  MpiWorld();
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  std::size_t rank() const { return rank_; }
  std::size_t size() const { return size_; }

  // Replaces `values` by their elementwise sum over the processes (MPI_Allreduce).
  void sum(std::span<float> values) const;
  void sum(std::span<double> values) const;
  // Waits until every process has called it (MPI_Barrier).
  void barrier() const;
  // Copies `values` of process `root` into every process's (MPI_Bcast).
  void broadcast(std::span<float> values, std::size_t root) const;

  // Writes `message` on stderr as one line, naming the process unless it is
  // the first, and ends the whole job with exit code 1 (MPI_Abort).
  [[noreturn]] void abort(const std::string& message) const;

  // The trainer's hook for synchronous data parallelism over these processes.
  DataParallel data_parallel() const;

 private:
  std::size_t rank_ = 0;
  std::size_t size_ = 1;
};

}  // namespace descent

#include "descent/distributed/mpi_world.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "descent/core/error.hpp"

namespace descent {

namespace {

// MPI counts are ints; a longer buffer goes in pieces.
template <typename T, typename Call>
void in_pieces(std::span<T> values, Call call) {
  for (std::size_t start = 0; start < values.size(); start += INT_MAX) {
    const std::size_t count = std::min<std::size_t>(INT_MAX, values.size() - start);
    call(values.data() + start, static_cast<int>(count));
  }
}

template <typename T>
void allreduce_sum(std::span<T> values, MPI_Datatype type) {
  in_pieces(values, [type](T* data, int count) {
    MPI_Allreduce(MPI_IN_PLACE, data, count, type, MPI_SUM, MPI_COMM_WORLD);
  });
}

}  // namespace

MpiWorld::MpiWorld() {
  // Only the main thread calls MPI; OpenMP's threads compute between calls.
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  rank_ = static_cast<std::size_t>(rank);
  size_ = static_cast<std::size_t>(size);
}

MpiWorld::~MpiWorld() { MPI_Finalize(); }

void MpiWorld::sum(std::span<float> values) const { allreduce_sum(values, MPI_FLOAT); }
void MpiWorld::sum(std::span<double> values) const { allreduce_sum(values, MPI_DOUBLE); }

void MpiWorld::barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

void MpiWorld::broadcast(std::span<float> values, std::size_t root) const {
  in_pieces(values, [root](float* data, int count) {
    MPI_Bcast(data, count, MPI_FLOAT, static_cast<int>(root), MPI_COMM_WORLD);
  });
}

void MpiWorld::abort(const std::string& message) const {
  const std::string who = rank_ == 0 ? "" : "rank " + std::to_string(rank_) + ": ";
  std::fprintf(stderr, "descent: %s%s\n", who.c_str(), message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::exit(1);
}

DataParallel MpiWorld::data_parallel() const {
  return {rank_, size_, [this](std::span<float> values) { sum(values); }};
}

}  // namespace descent

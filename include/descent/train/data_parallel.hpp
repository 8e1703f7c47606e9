// Synchronous data parallelism, as the trainer sees it: process `rank` of
// `ranks` computes the loss and gradient of its own contiguous share of every
// batch's rows, and `sum` adds a buffer over all processes in place (an
// allreduce), after which every process holds the batch's mean gradient and
// applies the same update. The MPI side lives in distributed/.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

namespace descent {

struct DataParallel {
  std::size_t rank = 0;
  std::size_t ranks = 1;
  // Replaces `values` by their sum over the processes, on every process.
  std::function<void(std::span<float> values)> sum;
};

// Rows [begin, end) of an n-row batch that process `rank` of `ranks` takes:
// [n rank / ranks, n (rank + 1) / ranks), so shard sizes differ by at most one.
struct RowRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};
inline RowRange shard_rows(std::size_t n, std::size_t rank, std::size_t ranks) {
  return {n * rank / ranks, n * (rank + 1) / ranks};
}

}  // namespace descent

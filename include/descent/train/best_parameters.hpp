// The parameters and batch-norm statistics of the epoch with the best
// validation accuracy so far, as cs231n's Solver keeps best_params: a run
// ends by restoring them, and its model.bin and test accuracy are theirs.
#pragma once

#include <cstddef>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/nn/network.hpp"

namespace descent {

class BestParameters {
 public:
  // Keeps the network's weights if `val_accuracy` beats every earlier epoch's.
  void observe(std::size_t epoch, double val_accuracy, const Network& network);
  // Copies the kept weights into the network (none kept: unchanged).
  void restore(Network& network) const;

  std::size_t epoch() const { return epoch_; }  // 1-based; 0 before the first epoch
  double val_accuracy() const { return val_accuracy_; }  // -1 before the first epoch

  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  std::size_t epoch_ = 0;
  double val_accuracy_ = -1;
  std::vector<float> params_;
  std::vector<float> buffers_;
};

}  // namespace descent

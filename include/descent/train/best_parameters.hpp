// The parameters and batch-norm statistics of the epoch with the best
// validation score so far, as cs231n's Solver keeps best_params: a run ends by
// restoring them, and its model.bin and test accuracy are theirs. The score is
// the validation accuracy, or, for a loss without classes (the noisy
// quadratic), minus the validation loss: higher is better either way.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/nn/network.hpp"

namespace descent {

class BestParameters {
 public:
  // Keeps the network's weights if `score` beats every earlier epoch's.
  void observe(std::size_t epoch, double score, const Network& network);
  // Copies the kept weights into the network (none kept: unchanged).
  void restore(Network& network) const;

  std::size_t epoch() const { return epoch_; }  // 1-based; 0 before the first epoch
  double score() const { return score_; }       // -infinity before the first epoch

  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  std::size_t epoch_ = 0;
  double score_ = -std::numeric_limits<double>::infinity();
  std::vector<float> params_;
  std::vector<float> buffers_;
};

}  // namespace descent

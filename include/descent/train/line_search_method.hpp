// L-BFGS and nonlinear CG as a training method: one line-search iteration
// (line_search_iteration.hpp, the minimizer's own) per iteration, on the
// whole training set (--batch-size 0 or >= n), else on the next large batch of
// the shuffled order, whose loss and gradient at the current point are
// evaluated first. The history of (s, y) pairs is kept across batches: each
// pair comes from the two ends of one line search, on one batch.
//
// An epoch is the training set's worth of gradient evaluations; a line search
// can span several. The state between iterations (f, g, the last direction,
// the pairs) is saved, so a resumed run continues bit for bit. Over several
// processes each evaluates its share of the batch and the shares are summed
// (Sandblaster L-BFGS, Dean et al. 2012, section 4.2): every process runs the
// same deterministic iteration on the same numbers.
#pragma once

#include <memory>
#include <optional>

#include "descent/optim/line_search_iteration.hpp"
#include "descent/train/minibatch_order.hpp"
#include "descent/train/training_method.hpp"

namespace descent {

class LineSearchMethod final : public TrainingMethod {
 public:
  LineSearchMethod(const TrainConfig& config, ShardObjective& objective, Network& network,
                   std::size_t train_size);

  IterationResult iterate(std::size_t iteration, double learning_rate) override;
  std::size_t epochs_done() const override;
  void locate(Progress& progress) const override;
  void add_results(TrainResult& result) const override;
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

 private:
  ShardObjective& objective_;
  Network& network_;
  std::size_t train_size_;
  std::unique_ptr<SearchDirection<float>> direction_;
  LineSearchIteration<float> iteration_;
  // Large batches: their order; empty for the whole training set.
  std::optional<MinibatchOrder> order_;
  // The batch's loss at the network's parameters, which the line search moves
  // in place (x is params.values()).
  Objective<float> loss_;
};

}  // namespace descent

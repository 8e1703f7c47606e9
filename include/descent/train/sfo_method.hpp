// SFO (optim/sfo.hpp) as a training method: the training set, shuffled once
// by the run's data stream, is split into N fixed minibatches of n/N rows
// (--subfunctions), and the objective is their sum,
//   F(w) = sum_i f_i(w),   f_i(w) = (n_i / n) L_i(w),
// L_i the mean loss of minibatch i (with the L2 term), so that F is the
// training loss that L-BFGS minimizes. Each iteration is one SFO step: it
// evaluates one minibatch (more when the step is rejected) and moves the
// parameters to the minimum of the models' sum. The parameters stay in
// double inside SFO and are rounded into the network's after each step.
//
// An epoch is the training set's worth of gradient evaluations (N of them),
// rejected steps' included. The loss recorded is L_j of the minibatch the step
// evaluated, at the point it kept. The optimizer's whole state is saved, so a
// resumed run continues bit for bit.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "descent/optim/sfo.hpp"
#include "descent/optim/sum_of_functions.hpp"
#include "descent/train/training_method.hpp"

namespace descent {

class SfoMethod final : public TrainingMethod {
 public:
  // ConfigError for bad SFO settings, more subfunctions than samples, or a
  // network too large for the memory bound (naming M, N and the history).
  SfoMethod(const TrainConfig& config, ShardObjective& objective, Network& network,
            std::size_t train_size);

  IterationResult iterate(std::size_t iteration, double learning_rate) override;
  std::size_t epochs_done() const override;
  void locate(Progress& progress) const override;
  void add_results(TrainResult& result) const override;
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

 private:
  // f_i at the network's parameters: minibatch i's mean loss times n_i / n.
  double subfunction(std::size_t i);
  std::span<const std::uint32_t> rows_of(std::size_t i) const;
  void copy_x_to_network();

  ShardObjective& objective_;
  Network& network_;
  std::size_t train_size_;
  std::size_t subfunctions_;
  std::vector<std::uint32_t> order_;  // the shuffled rows; minibatch i is a slice
  FloatModelSum problem_;
  std::optional<Sfo> sfo_;
};

}  // namespace descent

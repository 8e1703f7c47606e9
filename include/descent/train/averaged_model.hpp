// The averaged copy of the network that a run keeps beside the trained one
// (torch.optim.swa_utils.AveragedModel's role): the weight average of the
// config (weight_average.hpp) fed at the config's moments, EMA after every
// step and SWA at the end of every epoch from swa_start on, and a network of
// the same shape to evaluate it with.
#pragma once

#include <cstddef>
#include <string>

#include "descent/core/bytes.hpp"
#include "descent/core/matrix.hpp"
#include "descent/nn/network.hpp"
#include "descent/train/weight_average.hpp"

namespace descent {

class AveragedModel {
 public:
  // For `network`, built from `config`; averaging.kind must be ema or swa.
  AveragedModel(const WeightAverageConfig& averaging, const NetworkConfig& config,
                const Network& network);

  // After an optimizer step: EMA's update.
  void after_step(const Network& network);
  // At the end of epoch `epoch` (1-based): SWA's update from swa_start on.
  void after_epoch(std::size_t epoch, const Network& network);
  // Whether there is an average yet (SWA: not before swa_start).
  bool defined() const { return average_.count() > 0; }

  // The averaged weights, in a network of the trained one's shape.
  Network& network();
  Network::Evaluation evaluate(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y);
  // "model_ema.bin" or "model_swa.bin".
  std::string file_name() const;

  void save(ByteWriter& out) const { average_.save(out); }
  void load(ByteReader& in) { average_.load(in); }

 private:
  WeightAverage average_;
  Network network_;
};

}  // namespace descent

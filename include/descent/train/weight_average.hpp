// Weight averaging: a second copy of the network's parameters and batch-norm
// buffers that follows the training weights, as torch.optim.swa_utils'
// AveragedModel and timm's ModelEma keep one.
//
//   ema  Polyak averaging with decay (torch's get_ema_multi_avg_fn): the first
//        update copies the weights, each later one sets
//          avg = decay * avg + (1 - decay) * w
//        The trainer updates it after every optimizer step.
//   swa  Stochastic weight averaging (Izmailov et al. 2018; AveragedModel's
//        default): the running mean of the weights it is given,
//          avg = avg + (w - avg) / (n + 1),   n = updates before this one
//        The trainer updates it at the end of each epoch from epoch swa_start
//        on and, with swa_lr > 0, trains those epochs at the constant rate
//        swa_lr (torch's SWALR with anneal_epochs = 0).
//
// Buffers (batch norm's running mean and variance) are averaged by the same
// rule, as AveragedModel(use_buffers=True) does; nothing recomputes them from
// the data afterwards (torch's update_bn).
// The average is stored in float, like the weights, and each update is
// computed in float as written, with decay and 1 - decay rounded to float.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "descent/core/bytes.hpp"

namespace descent {

enum class AverageKind { none, ema, swa };
std::string to_string(AverageKind kind);

// Each field is named by its command-line flag.
struct WeightAverageConfig {
  AverageKind kind = AverageKind::none;
  double ema_decay = 0.999;   // --ema: the decay, in (0, 1)
  std::size_t swa_start = 1;  // --swa-start: first averaged epoch, 1-based, >= 1
  double swa_lr = 0;          // --swa-lr: rate from swa_start on, > 0; 0 keeps the schedule

  // ConfigError naming the flag of the first field out of range. The trainer
  // also needs swa_start <= epochs (TrainConfig::validate).
  void validate() const;
};

class WeightAverage {
 public:
  // An empty average of `param_count` parameters and `buffer_count` buffer
  // values; validates the config (kind ema or swa).
  WeightAverage(WeightAverageConfig config, std::size_t param_count, std::size_t buffer_count);

  // Adds the current weights by the config's rule. ShapeError if a length
  // differs from the constructor's.
  void update(std::span<const float> params, std::span<const float> buffers);

  // Updates so far; the average is defined once this is at least 1.
  std::size_t count() const { return count_; }
  std::span<const float> params() const { return params_; }
  std::span<const float> buffers() const { return buffers_; }
  const WeightAverageConfig& config() const { return config_; }

  // The count and both averages; load() refuses arrays of other lengths.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  void add(std::vector<float>& average, std::span<const float> weights) const;

  WeightAverageConfig config_;
  std::size_t count_ = 0;
  std::vector<float> params_;   // aligned with Network::params().values()
  std::vector<float> buffers_;  // aligned with Network::buffers()
};

}  // namespace descent

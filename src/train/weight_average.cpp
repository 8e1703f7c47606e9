#include "descent/train/weight_average.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

std::string to_string(AverageKind kind) {
  switch (kind) {
    case AverageKind::none:
      return "none";
    case AverageKind::ema:
      return "ema";
    case AverageKind::swa:
      return "swa";
  }
  return "unknown";
}

void WeightAverageConfig::validate() const {
  if (!(ema_decay > 0 && ema_decay < 1)) {
    throw ConfigError("ema: expected a decay in (0, 1), got " + shortest(ema_decay));
  }
  if (swa_start < 1) throw ConfigError("swa-start: expected an epoch >= 1, got 0");
  if (!(swa_lr >= 0) || !std::isfinite(swa_lr)) {
    throw ConfigError("swa-lr: expected 0 (keep the schedule) or a finite number > 0, got " +
                      shortest(swa_lr));
  }
}

WeightAverage::WeightAverage(WeightAverageConfig config, std::size_t param_count,
                             std::size_t buffer_count)
    : config_(config), params_(param_count), buffers_(buffer_count) {
  config_.validate();
  if (config_.kind == AverageKind::none) {
    throw ConfigError("average: expected kind ema or swa, got none");
  }
}

void WeightAverage::update(std::span<const float> params, std::span<const float> buffers) {
  if (params.size() != params_.size() || buffers.size() != buffers_.size()) {
    throw ShapeError("weight average of " + std::to_string(params_.size()) + " parameters and " +
                     std::to_string(buffers_.size()) + " buffer values given " +
                     std::to_string(params.size()) + " and " + std::to_string(buffers.size()));
  }
  add(params_, params);
  add(buffers_, buffers);
  ++count_;
}

void WeightAverage::add(std::vector<float>& average, std::span<const float> weights) const {
  if (count_ == 0) {
    std::copy(weights.begin(), weights.end(), average.begin());
    return;
  }
  if (config_.kind == AverageKind::ema) {
    const auto decay = static_cast<float>(config_.ema_decay);
    const auto rest = static_cast<float>(1 - config_.ema_decay);
    // avg = decay * avg + (1 - decay) * w   (Polyak averaging with decay; torch's
    // get_ema_multi_avg_fn)
    for (std::size_t i = 0; i < average.size(); ++i) {
      average[i] = decay * average[i] + rest * weights[i];
    }
    return;
  }
  const auto n_plus_1 = static_cast<float>(count_ + 1);
  // avg = avg + (w - avg) / (n + 1)   (Izmailov et al. 2018; AveragedModel's default)
  for (std::size_t i = 0; i < average.size(); ++i) {
    average[i] += (weights[i] - average[i]) / n_plus_1;
  }
}

void WeightAverage::save(ByteWriter& out) const {
  out.put<std::uint64_t>(count_);
  out.put_array<float>(params_);
  out.put_array<float>(buffers_);
}

void WeightAverage::load(ByteReader& in) {
  count_ = in.get<std::uint64_t>("average count");
  in.get_into<float>(params_, "averaged parameters");
  in.get_into<float>(buffers_, "averaged buffers");
}

}  // namespace descent

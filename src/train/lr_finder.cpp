#include "descent/core/moving_average.hpp"
#include "descent/train/lr_finder.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"
#include "descent/core/text.hpp"
#include "descent/core/threads.hpp"
#include "descent/data/batches.hpp"
#include "descent/nn/network.hpp"
#include "descent/optim/registry.hpp"

namespace descent {

void LrFindConfig::validate() const {
  if (!(start_lr > 0) || !std::isfinite(start_lr)) {
    throw ConfigError("start-lr: expected a finite number > 0, got " + shortest(start_lr));
  }
  if (!(end_lr > start_lr) || !std::isfinite(end_lr)) {
    throw ConfigError("end-lr: expected a finite number > start-lr (" + shortest(start_lr) +
                      "), got " + shortest(end_lr));
  }
  if (!(smoothing >= 0 && smoothing < 1)) {
    throw ConfigError("smoothing: expected a number in [0, 1), got " + shortest(smoothing));
  }
  if (!(stop_factor > 1) || !std::isfinite(stop_factor)) {
    throw ConfigError("stop-factor: expected a finite number > 1, got " + shortest(stop_factor));
  }
  if (steps == 1) throw ConfigError("steps: expected 0 (one epoch) or at least 2, got 1");
}

LrFindResult find_learning_rate(const TrainConfig& config, const DataSplits& data,
                                const LrFindConfig& find) {
  config.validate();
  find.validate();
  if (data.train.size() == 0) throw ConfigError("training set is empty");
  if (data.train.dim() != config.network.input_dim) {
    throw ShapeError("network input size " + std::to_string(config.network.input_dim) +
                     " does not match the data's " + std::to_string(data.train.dim()) +
                     " features");
  }
  set_num_threads(config.threads);
  Network network(config.network, config.seed);
  auto optimizer = make_optimizer<float>(config.optimizer, config.optimizer_options);
  optimizer->set_clipping(config.clipping);
  BatchSampler sampler(data.train.size(), config.batch_size);
  Rng data_rng(config.seed + 1);
  Rng dropout_rng(config.seed + 2);
  const std::size_t steps =
      find.steps == 0 ? std::max<std::size_t>(2, sampler.batches_per_epoch()) : find.steps;

  LrFindResult result;
  Matrix batch_x(static_cast<Eigen::Index>(config.batch_size),
                 static_cast<Eigen::Index>(data.train.dim()));
  std::vector<std::int32_t> batch_y;
  MovingAverage average(find.smoothing);
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < steps; ++i) {
    const std::size_t batch = i % sampler.batches_per_epoch();
    if (batch == 0) sampler.start_epoch(data_rng);
    const auto indices = sampler.batch(batch);
    const auto n = static_cast<Eigen::Index>(indices.size());
    batch_x.resize(n, batch_x.cols());
    batch_y.resize(indices.size());
    for (Eigen::Index r = 0; r < n; ++r) {
      const std::uint32_t sample = indices[static_cast<std::size_t>(r)];
      batch_x.row(r) = data.train.features.row(sample);
      batch_y[static_cast<std::size_t>(r)] = data.train.labels[sample];
    }
    const double lr =
        find.start_lr * std::pow(find.end_lr / find.start_lr,
                                 static_cast<double>(i) / static_cast<double>(steps - 1));
    const float loss = network.loss_and_grad(batch_x, batch_y, dropout_rng);
    if (!std::isfinite(loss)) {
      result.stopped_early = true;
      break;
    }
    average.add(loss);
    const double smoothed = average.value();
    result.learning_rates.push_back(lr);
    result.losses.push_back(loss);
    result.smoothed.push_back(smoothed);
    best = std::min(best, smoothed);
    if (i + 1 >= find.min_steps && smoothed > find.stop_factor * best) {
      result.stopped_early = true;
      break;
    }
    optimizer->step(network.params().values(), network.params().grads(), static_cast<float>(lr));
  }
  if (result.smoothed.empty()) {
    throw ConfigError("start-lr: the loss was not finite at the first step (" +
                      shortest(find.start_lr) + "); the network or data cannot be trained");
  }
  const auto minimum = std::min_element(result.smoothed.begin(), result.smoothed.end());
  const auto at_minimum = static_cast<std::size_t>(minimum - result.smoothed.begin());
  result.min_loss_lr = result.learning_rates[at_minimum];
  result.suggested_lr = result.min_loss_lr / 10;
  // Slope of the smoothed loss per step of log(lr), steps equally spaced in
  // log(lr): the steepest fall before the minimum.
  double steepest = 0;
  result.steepest_lr = result.learning_rates.front();
  for (std::size_t i = 1; i <= at_minimum; ++i) {
    const double fall = result.smoothed[i - 1] - result.smoothed[i];
    if (fall > steepest) {
      steepest = fall;
      result.steepest_lr = result.learning_rates[i];
    }
  }
  return result;
}

nlohmann::json to_json(const LrFindResult& result, const std::string& optimizer,
                       const LrFindConfig& find) {
  return {{"optimizer", optimizer},
          {"start_lr", find.start_lr},
          {"end_lr", find.end_lr},
          {"lr", result.learning_rates},
          {"loss", result.losses},
          {"smoothed", result.smoothed},
          {"suggested_lr", result.suggested_lr},
          {"min_loss_lr", result.min_loss_lr},
          {"steepest_lr", result.steepest_lr},
          {"stopped_early", result.stopped_early}};
}

}  // namespace descent

#include "descent/train/training_method.hpp"

#include <algorithm>

#include "descent/optim/registry.hpp"
#include "descent/train/line_search_method.hpp"
#include "descent/train/minibatch_method.hpp"
#include "descent/train/sfo_method.hpp"
#include "descent/train/trainer.hpp"

namespace descent {

std::size_t batch_rows(const TrainConfig& config, std::size_t train_size) {
  return config.batch_size == 0 ? train_size : std::min(config.batch_size, train_size);
}

std::unique_ptr<TrainingMethod> make_training_method(const TrainConfig& config,
                                                     ShardObjective& objective,
                                                     Network& network, std::size_t train_size) {
  switch (optimizer_kind(config.optimizer)) {
    case OptimizerKind::first_order:
      return std::make_unique<FirstOrderMethod>(config, objective, network, train_size);
    case OptimizerKind::online_lbfgs:
      return std::make_unique<OnlineLbfgsMethod>(config, objective, network, train_size);
    case OptimizerKind::line_search:
      return std::make_unique<LineSearchMethod>(config, objective, network, train_size);
    case OptimizerKind::sum_of_functions:
      return std::make_unique<SfoMethod>(config, objective, network, train_size);
  }
  return nullptr;
}

void locate_by_passes(Progress& progress, double passes, std::size_t epochs_done) {
  const std::size_t done = std::min(epochs_done, progress.epochs);
  progress.epoch = std::min(done + 1, progress.epochs);
  // Percent of the pass in progress.
  progress.batch = std::min<std::size_t>(
      100, static_cast<std::size_t>(100 * (passes - static_cast<double>(done))));
  progress.batches_per_epoch = 100;
  progress.iterations = static_cast<std::size_t>(static_cast<double>(progress.iteration) *
                                                 static_cast<double>(progress.epochs) / passes);
}

}  // namespace descent

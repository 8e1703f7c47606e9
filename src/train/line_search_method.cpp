#include "descent/train/line_search_method.hpp"

#include <algorithm>

#include "descent/optim/registry.hpp"
#include "descent/train/trainer.hpp"

namespace descent {

LineSearchMethod::LineSearchMethod(const TrainConfig& config, ShardObjective& objective,
                                   Network& network, std::size_t train_size)
    : objective_(objective),
      network_(network),
      train_size_(train_size),
      direction_(make_line_search_direction<float>(config.optimizer, config.optimizer_options)),
      iteration_(*direction_, line_search_config(config.optimizer, config.optimizer_options), network.params().size()) {
  const std::size_t rows = batch_rows(config, train_size);
  if (rows < train_size) {
    order_.emplace(train_size, rows, stream_seed(config.seed, 1));
  } else {
    objective_.set_full_batch();
  }
  loss_ = [this](std::span<const float>, std::span<float> gradient) {
    const float loss = objective_.loss_and_grad();
    const auto grads = network_.params().grads();
    std::copy(grads.begin(), grads.end(), gradient.begin());
    return static_cast<double>(loss);
  };
}

IterationResult LineSearchMethod::iterate(std::size_t iteration, double) {
  objective_.set_iteration(iteration - 1);
  const auto x = network_.params().values();
  if (order_ || !iteration_.evaluated()) {
    if (order_) objective_.set_batch(order_->next());
    iteration_.evaluate_at(loss_, x);
  }
  const IterationOutcome outcome = iteration_.iterate(loss_, x);
  IterationResult result{static_cast<float>(iteration_.f()), outcome.step, {}};
  if (!outcome.moved()) {
    // No step lowers the loss, even along -g: at a minimum to float
    // precision, or stuck.
    result.stop = "line search failed at iteration " + std::to_string(iteration) + ": " +
                  to_string(outcome.status) + "; the parameters are the last iterate's";
  }
  return result;
}

std::size_t LineSearchMethod::epochs_done() const {
  return static_cast<std::size_t>(objective_.samples_evaluated() / train_size_);
}

void LineSearchMethod::locate(Progress& progress) const {
  locate_by_passes(progress, objective_.passes(), epochs_done());
}

void LineSearchMethod::add_results(TrainResult& result) const {
  result.final_gradient_norm = iteration_.gradient_norm();
}

void LineSearchMethod::save(ByteWriter& out) const {
  iteration_.save(out);
  if (order_) order_->save(out);
}

void LineSearchMethod::load(ByteReader& in) {
  iteration_.load(in);
  if (order_) order_->load(in);
}

}  // namespace descent

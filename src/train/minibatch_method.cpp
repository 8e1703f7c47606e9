#include "descent/train/minibatch_method.hpp"

#include <cmath>

#include "descent/optim/registry.hpp"
#include "descent/train/trainer.hpp"

namespace descent {

namespace {

// One group per tensor: weights keep the optimizer's decay, biases and batch
// norm's scale and shift get none. Each group runs to the next tensor's start,
// so the padding between tensors is covered.
std::vector<ParamGroup> bias_groups(const ParamSet& params) {
  std::vector<ParamGroup> groups;
  const auto& entries = params.entries();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    ParamGroup g;
    g.begin = i == 0 ? 0 : entries[i].offset;
    g.end = i + 1 < entries.size() ? entries[i + 1].offset : params.size();
    if (entries[i].kind == ParamKind::Bias) g.weight_decay = 0.0;
    groups.push_back(g);
  }
  return groups;
}

}  // namespace

MinibatchMethod::MinibatchMethod(const TrainConfig& config, ShardObjective& objective,
                                 Network& network, std::size_t train_size)
    : objective_(objective),
      network_(network),
      order_(train_size, batch_rows(config, train_size), stream_seed(config.seed, 1),
             config.drop_last, config.shuffle_once) {}

IterationResult MinibatchMethod::iterate(std::size_t iteration, double learning_rate) {
  objective_.set_iteration(iteration - 1);
  objective_.set_batch(order_.next());
  const float loss = objective_.loss_and_grad();
  if (std::isfinite(loss)) step(learning_rate);
  return {loss, learning_rate, {}};
}

void MinibatchMethod::locate(Progress& progress) const {
  const std::size_t batches = order_.batches_per_epoch();
  const std::size_t done = order_.batches_done();
  // Between epochs, the epoch just done at its last batch.
  progress.epoch = order_.epochs_done() + (done == batches ? 0 : 1);
  progress.batch = done;
  progress.batches_per_epoch = batches;
  progress.iterations = progress.epochs * batches;
}

void MinibatchMethod::save(ByteWriter& out) const {
  order_.save(out);
  save_state(out);
}

void MinibatchMethod::load(ByteReader& in) {
  order_.load(in);
  load_state(in);
}

FirstOrderMethod::FirstOrderMethod(const TrainConfig& config, ShardObjective& objective,
                                   Network& network, std::size_t train_size)
    : MinibatchMethod(config, objective, network, train_size),
      optimizer_(make_optimizer<float>(config.optimizer, config.optimizer_options)) {
  optimizer_->set_clipping(config.clipping);
  if (config.no_decay_on_bias) optimizer_->set_groups(bias_groups(network.params()));
}

void FirstOrderMethod::step(double learning_rate) {
  ParamSet& params = network_.params();
  optimizer_->step(params.values(), params.grads(), static_cast<float>(learning_rate));
}

OnlineLbfgsMethod::OnlineLbfgsMethod(const TrainConfig& config, ShardObjective& objective,
                                     Network& network, std::size_t train_size)
    : MinibatchMethod(config, objective, network, train_size),
      online_lbfgs_(online_lbfgs_config(config.optimizer_options)) {}

// y_t = g(theta_{t+1}, batch_t) - g(theta_t, batch_t) + lambda s_t: the
// second gradient on the same batch completes the pair.
void OnlineLbfgsMethod::step(double learning_rate) {
  ParamSet& params = network_.params();
  online_lbfgs_.step(params.values(), params.grads(), learning_rate);
  objective_.loss_and_grad();
  online_lbfgs_.observe(params.grads());
}

}  // namespace descent

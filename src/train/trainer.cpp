#include "descent/train/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/threads.hpp"
#include "descent/optim/registry.hpp"
#include "descent/train/checkpoint.hpp"
#include "descent/train/model_file.hpp"

namespace descent {

namespace {

// Independent streams of random numbers from one seed: network init, data
// shuffling, dropout and the training-accuracy subset each get their own.
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  return seed * 0x9E3779B97F4A7C15ull + stream;
}

Dataset train_eval_subset(const Dataset& train, std::size_t count, std::uint64_t seed) {
  std::vector<std::uint32_t> order(train.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  Rng rng(seed);
  rng.shuffle(order);
  order.resize(std::min(count, order.size()));
  return take_rows(train, order);
}

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

// Rows of one batch: the config's batch size, or the whole training set when
// that is 0 (lbfgs and cg) or larger.
std::size_t batch_rows(const TrainConfig& config, std::size_t train_size) {
  return config.batch_size == 0 ? train_size : std::min(config.batch_size, train_size);
}

std::unique_ptr<Optimizer<float>> first_order_optimizer(const TrainConfig& config) {
  if (optimizer_kind(config.optimizer) != OptimizerKind::first_order) return nullptr;
  return make_optimizer<float>(config.optimizer, config.optimizer_options);
}

std::size_t run_iterations(const TrainConfig& config, std::size_t train_size) {
  return config.epochs * ((train_size + config.batch_size - 1) / config.batch_size);
}

std::optional<SnapshotPlan> snapshot_plan(const TrainConfig& config, std::size_t train_size) {
  if (config.snapshots == 0) return std::nullopt;
  return SnapshotPlan(config.snapshots, run_iterations(config, train_size));
}

// The schedule of the run: the snapshots' cyclic cosine, or the config's with
// one-cycle's length, if unset, filled in: every update of the run (or every
// epoch, when the schedule counts epochs).
ScheduleConfig run_schedule(const TrainConfig& config, std::size_t train_size) {
  if (const auto plan = snapshot_plan(config, train_size)) return plan->schedule();
  ScheduleConfig schedule = config.schedule;
  if (schedule.kind == ScheduleKind::one_cycle && schedule.total_steps == 0) {
    schedule.total_steps = std::max<std::size_t>(
        2, config.schedule_per_epoch ? config.epochs : run_iterations(config, train_size));
  }
  return schedule;
}

TrainConfig validated(TrainConfig config) {
  config.validate();
  return config;
}

}  // namespace

std::string to_string(RunStatus status) {
  switch (status) {
    case RunStatus::Finished:
      return "finished";
    case RunStatus::Diverged:
      return "diverged";
    case RunStatus::Interrupted:
      return "interrupted";
  }
  return "unknown";
}

Trainer::Trainer(TrainConfig config, const DataSplits& data, std::filesystem::path run_dir)
    : config_(validated(std::move(config))),
      data_(data),
      run_dir_(std::move(run_dir)),
      network_(config_.network, stream_seed(config_.seed, 0)),
      optimizer_(first_order_optimizer(config_)),
      schedule_(run_schedule(config_, data.train.size()), config_.learning_rate),
      sampler_(data.train.size(), batch_rows(config_, data.train.size())),
      data_rng_(stream_seed(config_.seed, 1)),
      dropout_rng_(stream_seed(config_.seed, 2)),
      train_eval_(
          train_eval_subset(data.train, config_.train_eval_samples, stream_seed(config_.seed, 3))),
      snapshots_(snapshot_plan(config_, data.train.size())) {
  if (data.train.size() == 0) throw ConfigError("training set is empty");
  if (data.train.dim() != config_.network.input_dim) {
    throw ShapeError("network input size " + std::to_string(config_.network.input_dim) +
                     " does not match the data's " + std::to_string(data.train.dim()) +
                     " features");
  }
  if (!config_.teacher.empty()) {
    const Matrix& soft = data.train.soft_labels;
    if (soft.rows() != static_cast<Eigen::Index>(data.train.size()) ||
        soft.cols() != static_cast<Eigen::Index>(config_.network.num_classes)) {
      throw ShapeError("teacher: distillation needs the teacher's probabilities for each of the " +
                       std::to_string(data.train.size()) + " training samples and " +
                       std::to_string(config_.network.num_classes) + " classes, got (" +
                       std::to_string(soft.rows()) + ", " + std::to_string(soft.cols()) + ")");
    }
    batch_soft_labels_.resize(static_cast<Eigen::Index>(config_.batch_size), soft.cols());
  }
  switch (optimizer_kind(config_.optimizer)) {
    case OptimizerKind::first_order:
      optimizer_->set_clipping(config_.clipping);
      if (config_.no_decay_on_bias) optimizer_->set_groups(bias_groups(network_.params()));
      break;
    case OptimizerKind::online_lbfgs:
      online_lbfgs_.emplace(online_lbfgs_config(config_.optimizer_options));
      break;
    case OptimizerKind::line_search:
      line_search_.emplace(
          make_line_search_direction<float>(config_.optimizer, config_.optimizer_options),
          line_search_config(config_.optimizer, config_.optimizer_options),
          network_.params().size());
      break;
  }
  if (config_.average.kind != AverageKind::none) {
    average_.emplace(config_.average, network_.params().size(), network_.buffers().size());
    averaged_network_.emplace(config_.network, 0);
    history_.averaged = true;
  }
  // A full batch is read from the training set in place.
  const std::size_t rows =
      sampler_.batches_per_epoch() == 1 && line_search_ ? 0 : batch_rows(config_, data.train.size());
  batch_x_.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(data.train.dim()));
  batch_y_.resize(rows);
  if (!run_dir_.empty()) {
    std::filesystem::create_directories(run_dir_);
    write_file_atomic(run_dir_ / "config.json", to_json(config_).dump(2) + "\n");
  }
}

Trainer::~Trainer() = default;

std::string Trainer::checkpoint_payload() const {
  ByteWriter out;
  out.put_string(to_json(config_).dump());
  out.put<std::uint64_t>(epoch_);
  out.put<std::uint64_t>(batch_);
  out.put<std::uint64_t>(iteration_);
  out.put<double>(elapsed_seconds());
  out.put<double>(epoch_loss_sum_);
  out.put_string(data_rng_.save());
  out.put_string(dropout_rng_.save());
  sampler_.save(out);
  out.put_array<float>(network_.params().values());
  out.put_array<float>(network_.buffers());
  if (optimizer_) optimizer_->save(out);
  if (online_lbfgs_) online_lbfgs_->save(out);
  if (line_search_) {
    line_search_->save(out);
    out.put<std::uint64_t>(line_batch_);
  }
  out.put<std::uint64_t>(samples_evaluated_);
  schedule_.save(out);
  history_.save(out);
  out.put<std::uint64_t>(best_epoch_);
  out.put<double>(best_val_accuracy_);
  out.put_array<float>(best_params_);
  out.put_array<float>(best_buffers_);
  if (average_) average_->save(out);
  return out.take();
}

void Trainer::resume(const std::filesystem::path& checkpoint) {
  const std::string payload = read_checkpoint(checkpoint);
  ByteReader in(payload, checkpoint.string());
  const std::string stored_config = in.get_string("config");
  if (stored_config != to_json(config_).dump()) {
    in.fail("config", "the checkpoint belongs to a run of another configuration");
  }
  epoch_ = in.get<std::uint64_t>("epoch");
  batch_ = in.get<std::uint64_t>("batch");
  iteration_ = in.get<std::uint64_t>("iteration");
  seconds_before_ = in.get<double>("seconds");
  epoch_loss_sum_ = in.get<double>("epoch loss sum");
  data_rng_.load(in.get_string("data random state"));
  dropout_rng_.load(in.get_string("dropout random state"));
  sampler_.load(in);
  in.get_into<float>(network_.params().values(), "parameters");
  in.get_into<float>(network_.buffers(), "buffers");
  if (optimizer_) optimizer_->load(in);
  if (online_lbfgs_) online_lbfgs_->load(in);
  if (line_search_) {
    line_search_->load(in);
    line_batch_ = in.get<std::uint64_t>("line-search batch");
  }
  samples_evaluated_ = in.get<std::uint64_t>("samples evaluated");
  schedule_.load(in);
  history_.load(in);
  best_epoch_ = in.get<std::uint64_t>("best epoch");
  best_val_accuracy_ = in.get<double>("best validation accuracy");
  best_params_ = in.get_array<float>("best parameters");
  best_buffers_ = in.get_array<float>("best buffers");
  if (average_) average_->load(in);
  if (!in.at_end()) in.fail("end", "unexpected bytes after the last field");
  loss_average_ = 0;
  for (float loss : history_.loss) {
    loss_average_ = kLossAverageBeta * loss_average_ + (1 - kLossAverageBeta) * loss;
  }
  if (epoch_ > config_.epochs || batch_ > sampler_.batches_per_epoch() ||
      history_.loss.size() != iteration_) {
    in.fail("epoch", "step counters are inconsistent");
  }
}

void Trainer::save_checkpoint() const {
  if (run_dir_.empty()) return;
  write_checkpoint(run_dir_ / "checkpoint.bin", checkpoint_payload());
}

void Trainer::set_data_parallel(DataParallel parallel) {
  if (parallel.ranks < 1 || parallel.rank >= parallel.ranks || (parallel.ranks > 1 && !parallel.sum)) {
    throw ConfigError("data parallel: expected rank < ranks and a sum over the processes, got rank " +
                      std::to_string(parallel.rank) + " of " + std::to_string(parallel.ranks));
  }
  parallel_ = std::move(parallel);
}

void Trainer::train_iteration() {
  const auto batch = sampler_.batch(batch_);
  const RowRange shard = shard_rows(batch.size(), parallel_.rank, parallel_.ranks);
  const auto indices = batch.subspan(shard.begin, shard.size());
  copy_batch(indices);
  const float loss = batch_loss_and_grad(indices, batch.size());
  // oLBFGS's step takes a second gradient of the batch (online_lbfgs_step).
  samples_evaluated_ += (online_lbfgs_ ? 2 : 1) * batch.size();
  const double lr = current_learning_rate();
  record_iteration(loss, lr);
  ++batch_;
  if (!std::isfinite(loss)) return;
  if (online_lbfgs_) {
    online_lbfgs_step(indices, batch.size(), lr);
  } else {
    optimizer_->step(network_.params().values(), network_.params().grads(), static_cast<float>(lr));
  }
  if (config_.average.kind == AverageKind::ema) {
    average_->update(network_.params().values(), network_.buffers());
  }
}

void Trainer::record_iteration(float loss, double lr) {
  history_.loss.push_back(loss);
  history_.learning_rate.push_back(static_cast<float>(lr));
  history_.passes.push_back(passes());
  ++iteration_;
  epoch_loss_sum_ += loss;
  loss_average_ = kLossAverageBeta * loss_average_ + (1 - kLossAverageBeta) * loss;
}

void Trainer::copy_batch(std::span<const std::uint32_t> indices) {
  const auto n = static_cast<Eigen::Index>(indices.size());
  // The last batch of an epoch may be smaller; resize is free otherwise.
  batch_x_.resize(n, batch_x_.cols());
  batch_y_.resize(indices.size());
  for (Eigen::Index r = 0; r < n; ++r) {
    const std::uint32_t i = indices[static_cast<std::size_t>(r)];
    batch_x_.row(r) = data_.train.features.row(i);
    batch_y_[static_cast<std::size_t>(r)] = data_.train.labels[i];
  }
}

float Trainer::batch_loss_and_grad(std::span<const std::uint32_t> indices, std::size_t batch_rows) {
  // A process whose share of a short last batch is empty adds nothing.
  float loss = 0;
  if (indices.empty()) {
    network_.params().zero_grads();
  } else {
    loss = config_.teacher.empty() ? network_.loss_and_grad(batch_x_, batch_y_, dropout_rng())
                                   : distillation_loss_and_grad(indices);
  }
  if (parallel_.ranks > 1) loss = sum_over_processes(loss, indices.size(), batch_rows);
  return loss;
}

float Trainer::distillation_loss_and_grad(std::span<const std::uint32_t> indices) {
  const auto n = static_cast<Eigen::Index>(indices.size());
  batch_soft_labels_.resize(n, batch_soft_labels_.cols());
  for (Eigen::Index r = 0; r < n; ++r) {
    batch_soft_labels_.row(r) = data_.train.soft_labels.row(indices[static_cast<std::size_t>(r)]);
  }
  return network_.loss_and_grad(batch_x_, batch_y_, batch_soft_labels_, config_.distillation,
                                dropout_rng());
}

// Each process's loss and gradient are means over its own rows, plus the L2
// term, which is the same on every process. Weighted by rows / batch_rows,
// their sum is the mean over the whole batch, plus L2 once (the weights add up
// to 1): what one process computes from the whole batch.
float Trainer::sum_over_processes(float loss, std::size_t rows, std::size_t batch_rows) {
  const float weight = static_cast<float>(rows) / static_cast<float>(batch_rows);
  const auto grads = network_.params().grads();
  for (float& g : grads) g *= weight;
  parallel_.sum(grads);
  float total = loss * weight;
  parallel_.sum({&total, 1});
  return total;
}

void Trainer::average_buffers() {
  const auto buffers = network_.buffers();
  if (parallel_.ranks == 1 || buffers.empty()) return;
  parallel_.sum(buffers);
  const float scale = 1.0f / static_cast<float>(parallel_.ranks);
  for (float& b : buffers) b *= scale;
}

Rng& Trainer::dropout_rng() {
  if (parallel_.rank == 0) return dropout_rng_;
  // Seeded by process and iteration, so that a resumed run draws the masks an
  // uninterrupted one would.
  shard_dropout_rng_ =
      Rng(stream_seed(stream_seed(config_.seed, 4 + parallel_.rank), iteration_));
  return shard_dropout_rng_;
}

// Diverged: a NaN or infinite loss, or, with diverge_factor f > 0, a moving
// average of the loss (bias-corrected as Adam's moments are) above f times the
// first iteration's loss. The average lets one noisy minibatch pass.
std::string Trainer::divergence() const {
  const float loss = history_.loss.back();
  if (!std::isfinite(loss)) {
    return "training diverged at iteration " + std::to_string(iteration_) + ": loss is " +
           (std::isnan(loss) ? "NaN" : "infinite");
  }
  if (config_.diverge_factor == 0) return {};
  const double average =
      loss_average_ / (1 - std::pow(kLossAverageBeta, static_cast<double>(iteration_)));
  const double bound = config_.diverge_factor * history_.loss.front();
  if (!(average > bound)) return {};
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "the average loss %.4g exceeds %g times the first loss %.4g",
                average, config_.diverge_factor, static_cast<double>(history_.loss.front()));
  return "training diverged at iteration " + std::to_string(iteration_) + ": " + numbers;
}

double Trainer::current_learning_rate() const {
  const WeightAverageConfig& average = config_.average;
  // From swa-start on, SWA's constant rate (torch's SWALR with anneal_epochs = 0).
  if (average.kind == AverageKind::swa && average.swa_lr > 0 && epoch_ + 1 >= average.swa_start) {
    return average.swa_lr;
  }
  return schedule_.lr(config_.schedule_per_epoch ? epoch_ : iteration_);
}

double Trainer::epoch_train_loss() const {
  if (line_search_) {
    // The iterations that ended in this pass; a line search longer than a
    // pass leaves none, and the pass gets the latest loss.
    const std::size_t before = history_.epochs.empty() ? 0 : history_.epochs.back().iteration;
    const std::size_t count = iteration_ - before;
    return count == 0 ? history_.loss.back() : epoch_loss_sum_ / static_cast<double>(count);
  }
  return epoch_loss_sum_ / static_cast<double>(sampler_.batches_per_epoch());
}

void Trainer::end_epoch() {
  average_buffers();
  const auto train_eval = network_.evaluate(train_eval_.features, train_eval_.labels);
  const auto val_eval = network_.evaluate(data_.validation.features, data_.validation.labels);
  EpochRecord record;
  record.epoch = epoch_ + 1;
  record.iteration = iteration_;
  record.learning_rate =
      history_.learning_rate.empty() ? config_.learning_rate : history_.learning_rate.back();
  record.train_loss = epoch_train_loss();
  record.train_accuracy = train_eval.accuracy;
  record.val_loss = val_eval.loss;
  record.val_accuracy = val_eval.accuracy;
  if (config_.average.kind == AverageKind::swa && record.epoch >= config_.average.swa_start) {
    average_->update(network_.params().values(), network_.buffers());
  }
  if (average_ && average_->count() > 0) {
    const auto averaged =
        averaged_network().evaluate(data_.validation.features, data_.validation.labels);
    record.avg_val_loss = averaged.loss;
    record.avg_val_accuracy = averaged.accuracy;
  }
  record.seconds = elapsed_seconds();
  history_.epochs.push_back(record);
  if (config_.schedule.kind == ScheduleKind::plateau) {
    schedule_.observe(config_.schedule.mode == PlateauMode::min ? val_eval.loss
                                                                : val_eval.accuracy);
  }
  if (record.val_accuracy > best_val_accuracy_) {
    best_val_accuracy_ = record.val_accuracy;
    best_epoch_ = record.epoch;
    const auto params = network_.params().values();
    const auto buffers = network_.buffers();
    best_params_.assign(params.begin(), params.end());
    best_buffers_.assign(buffers.begin(), buffers.end());
  }
  ++epoch_;
  batch_ = 0;
  epoch_loss_sum_ = 0;
}

TrainResult Trainer::run() {
  if (line_search_) return run_line_search();
  set_num_threads(config_.threads);
  start_ = std::chrono::steady_clock::now();
  const std::size_t batches = sampler_.batches_per_epoch();
  Progress progress;
  progress.epochs = config_.epochs;
  progress.batches_per_epoch = batches;
  progress.iterations = config_.epochs * batches;
  while (epoch_ < config_.epochs) {
    if (batch_ == 0) sampler_.start_epoch(data_rng_);
    while (batch_ < batches) {
      train_iteration();
      const float loss = history_.loss.back();
      if (std::string why = divergence(); !why.empty()) {
        return finish(RunStatus::Diverged, std::move(why));
      }
      if (const auto k = snapshots_ ? snapshots_->cycle_ending_at(iteration_) : std::nullopt;
          k && !run_dir_.empty()) {
        save_snapshot(run_dir_, *k, iteration_, network_);
      }
      progress.epoch = epoch_ + 1;
      progress.batch = batch_;
      progress.iteration = iteration_;
      progress.loss = loss;
      progress.learning_rate = history_.learning_rate.back();
      progress.seconds = elapsed_seconds();
      progress.epoch_record = nullptr;
      const bool every = config_.checkpoint_every > 0 && iteration_ % config_.checkpoint_every == 0;
      if (every && batch_ < batches) {
        average_buffers();
        save_checkpoint();
      }
      if (on_iteration && on_iteration(progress)) {
        if (batch_ == batches) end_epoch();
        return interrupt();
      }
    }
    close_epoch(progress);
  }
  return finish(RunStatus::Finished, "");
}

void Trainer::close_epoch(Progress& progress) {
  end_epoch();
  save_checkpoint();
  write_history();
  progress.epoch_record = &history_.epochs.back();
  progress.seconds = elapsed_seconds();
  if (on_epoch) on_epoch(progress);
}

TrainResult Trainer::interrupt() {
  save_checkpoint();
  return finish(RunStatus::Interrupted, "stopped at iteration " + std::to_string(iteration_) +
                                            "; resume with `descent train --resume " +
                                            run_dir_.string() + "`");
}

TrainResult Trainer::finish(RunStatus status, std::string message) {
  TrainResult result;
  result.status = status;
  result.message = std::move(message);
  result.iterations = iteration_;
  result.best_epoch = best_epoch_;
  result.best_val_accuracy = std::max(0.0, best_val_accuracy_);
  if (!history_.epochs.empty()) {
    result.final_train_accuracy = history_.epochs.back().train_accuracy;
    result.final_val_accuracy = history_.epochs.back().val_accuracy;
  }
  if (status == RunStatus::Finished) {
    const auto params = network_.params().values();
    const auto buffers = network_.buffers();
    std::copy(best_params_.begin(), best_params_.end(), params.begin());
    std::copy(best_buffers_.begin(), best_buffers_.end(), buffers.begin());
    const auto test = network_.evaluate(data_.test.features, data_.test.labels);
    result.test_accuracy = test.accuracy;
    result.test_loss = test.loss;
    if (average_) {
      result.averaged_test = averaged_network().evaluate(data_.test.features, data_.test.labels);
      result.averaged_model = "model_" + to_string(config_.average.kind) + ".bin";
    }
  }
  result.seconds = elapsed_seconds();
  write_results(result);
  return result;
}

Network& Trainer::averaged_network() {
  std::copy(average_->params().begin(), average_->params().end(),
            averaged_network_->params().values().begin());
  std::copy(average_->buffers().begin(), average_->buffers().end(),
            averaged_network_->buffers().begin());
  return *averaged_network_;
}

double Trainer::elapsed_seconds() const {
  return seconds_before_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Trainer::write_history() const {
  if (run_dir_.empty()) return;
  write_file_atomic(run_dir_ / "history.csv", epochs_csv(history_));
  write_file_atomic(run_dir_ / "loss.csv", loss_csv(history_));
  write_file_atomic(run_dir_ / "history.json", to_json(history_).dump() + "\n");
}

void Trainer::write_results(const TrainResult& result) const {
  if (run_dir_.empty()) return;
  write_history();
  if (result.status == RunStatus::Interrupted) return;
  if (result.status == RunStatus::Finished) save_model(run_dir_ / "model.bin", network_);
  nlohmann::json metrics = {
      {"status", to_string(result.status)},
      {"message", result.message},
      {"iterations", result.iterations},
      {"epochs", history_.epochs.size()},
      {"best_epoch", result.best_epoch},
      {"best_val_acc", result.best_val_accuracy},
      {"final_train_acc", result.final_train_accuracy},
      {"final_val_acc", result.final_val_accuracy},
      {"test_acc", result.test_accuracy},
      {"test_loss", result.test_loss},
      {"final_loss", history_.loss.empty() ? 0.0f : history_.loss.back()},
      {"passes", passes()},
      {"seconds", result.seconds},
  };
  // lbfgs, cg: ||g|| of the last iterate on its batch (the model saved is the
  // best epoch's).
  if (line_search_) metrics["final_gradient_norm"] = line_search_->gradient_norm();
  if (result.averaged_test) {
    save_model(run_dir_ / result.averaged_model, *averaged_network_);
    metrics["averaged_model"] = result.averaged_model;
    metrics["averaged_test_acc"] = result.averaged_test->accuracy;
    metrics["averaged_test_loss"] = result.averaged_test->loss;
  }
  write_file_atomic(run_dir_ / "metrics.json", metrics.dump(2) + "\n");
}

}  // namespace descent

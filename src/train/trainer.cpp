#include "descent/train/trainer.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/threads.hpp"
#include "descent/train/checkpoint.hpp"

namespace descent {

namespace {

// What a checkpoint's payload holds, and in which layout.
constexpr char kStateKind[] = "descent training run 3";

std::size_t run_iterations(const TrainConfig& config, std::size_t train_size) {
  const std::size_t batches = config.drop_last
                                  ? train_size / config.batch_size
                                  : (train_size + config.batch_size - 1) / config.batch_size;
  return config.epochs * batches;
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

const DataSplits& checked(const DataSplits& data, const TrainConfig& config) {
  if (data.train.size() == 0) throw ConfigError("training set is empty");
  if (data.train.dim() != config.network.input_dim) {
    throw ShapeError("network input size " + std::to_string(config.network.input_dim) +
                     " does not match the data's " + std::to_string(data.train.dim()) +
                     " features");
  }
  return data;
}

}  // namespace

Trainer::Trainer(TrainConfig config, const DataSplits& data, std::filesystem::path run_dir)
    : config_(validated(std::move(config))),
      data_(checked(data, config_)),
      folder_(std::move(run_dir)),
      network_(config_.network, stream_seed(config_.seed, 0)),
      objective_(config_, network_, data.train, stream_seed(config_.seed, 2)),
      method_(make_training_method(config_, objective_, network_, data.train.size())),
      schedule_(run_schedule(config_, data.train.size()), config_.learning_rate),
      train_eval_(
          random_rows(data.train, config_.train_eval_samples, stream_seed(config_.seed, 3))),
      divergence_(config_.diverge_factor),
      snapshots_(snapshot_plan(config_, data.train.size())) {
  if (config_.average.kind != AverageKind::none) {
    averaged_.emplace(config_.average, config_.network, network_);
    history_.averaged = true;
  }
  folder_.write_config(config_);
}

Trainer::~Trainer() = default;

void Trainer::set_data_parallel(DataParallel parallel) {
  if (parallel.ranks < 1 || parallel.rank >= parallel.ranks || (parallel.ranks > 1 && !parallel.sum)) {
    throw ConfigError("data parallel: expected rank < ranks and a sum over the processes, got rank " +
                      std::to_string(parallel.rank) + " of " + std::to_string(parallel.ranks));
  }
  parallel_ = std::move(parallel);
  objective_.set_data_parallel(parallel_);
}

TrainResult Trainer::run() {
  set_num_threads(config_.threads);
  start_ = std::chrono::steady_clock::now();
  while (epoch_ < config_.epochs) {
    const auto started = std::chrono::steady_clock::now();
    const IterationResult step = method_->iterate(iteration_ + 1, learning_rate());
    train_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    record_iteration(step);
    if (averaged_ && std::isfinite(step.loss)) averaged_->after_step(network_);
    if (std::string why = divergence_.observe(history_.loss); !why.empty()) {
      return finish(RunStatus::Diverged, std::move(why));
    }
    if (const auto k = snapshots_ ? snapshots_->cycle_ending_at(iteration_) : std::nullopt;
        k && !folder_.empty()) {
      save_snapshot(folder_.dir(), *k, iteration_, network_);
    }
    const std::size_t epochs_done = std::min(method_->epochs_done(), config_.epochs);
    const bool periodic =
        config_.checkpoint_every > 0 && iteration_ % config_.checkpoint_every == 0;
    if (periodic && epoch_ == epochs_done) {  // an epoch's end saves anyway
      average_buffers();
      save_checkpoint();
    }
    while (epoch_ < epochs_done) close_epoch();
    if (!step.stop.empty()) {
      if (epoch_ < config_.epochs) end_epoch();  // the pass in progress gets its record
      save_checkpoint();
      return finish(RunStatus::Finished, step.stop);
    }
    if (on_iteration && on_iteration(progress()) && epoch_ < config_.epochs) return interrupt();
  }
  return finish(RunStatus::Finished, "");
}

void Trainer::record_iteration(const IterationResult& step) {
  history_.loss.push_back(step.loss);
  history_.learning_rate.push_back(static_cast<float>(step.rate));
  history_.passes.push_back(objective_.passes());
  ++iteration_;
  epoch_loss_sum_ += step.loss;
}

double Trainer::learning_rate() const {
  const WeightAverageConfig& average = config_.average;
  // From swa-start on, SWA's constant rate (torch's SWALR with anneal_epochs = 0).
  if (average.kind == AverageKind::swa && average.swa_lr > 0 && epoch_ + 1 >= average.swa_start) {
    return average.swa_lr;
  }
  return schedule_.lr(config_.schedule_per_epoch ? epoch_ : iteration_);
}

void Trainer::close_epoch() {
  end_epoch();
  save_checkpoint();
  folder_.write_history(history_);
  if (on_epoch) {
    Progress p = progress();
    p.epoch_record = &history_.epochs.back();
    on_epoch(p);
  }
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
  // The mean loss of the iterations since the last record; a line search
  // longer than a pass leaves none, and the pass gets the latest loss.
  const std::size_t since = iteration_ - (history_.epochs.empty() ? 0 : history_.epochs.back().iteration);
  record.train_loss =
      since == 0 ? history_.loss.back() : epoch_loss_sum_ / static_cast<double>(since);
  record.train_accuracy = train_eval.accuracy;
  record.val_loss = val_eval.loss;
  record.val_accuracy = val_eval.accuracy;
  if (averaged_) {
    averaged_->after_epoch(record.epoch, network_);
    if (averaged_->defined()) {
      const auto averaged = averaged_->evaluate(data_.validation.features, data_.validation.labels);
      record.avg_val_loss = averaged.loss;
      record.avg_val_accuracy = averaged.accuracy;
    }
  }
  record.seconds = elapsed_seconds();
  record.train_seconds = train_seconds_;
  history_.epochs.push_back(record);
  if (config_.schedule.kind == ScheduleKind::plateau) {
    schedule_.observe(config_.schedule.mode == PlateauMode::min ? val_eval.loss
                                                                : val_eval.accuracy);
  }
  // Without classes (the noisy quadratic) the best epoch is the lowest validation loss.
  const bool classes = config_.network.loss == LossKind::softmax;
  best_.observe(record.epoch, classes ? record.val_accuracy : -record.val_loss, network_);
  ++epoch_;
  epoch_loss_sum_ = 0;
}

Progress Trainer::progress() const {
  Progress p;
  p.epochs = config_.epochs;
  p.iteration = iteration_;
  p.loss = history_.loss.back();
  p.learning_rate = history_.learning_rate.back();
  p.seconds = elapsed_seconds();
  method_->locate(p);
  return p;
}

void Trainer::average_buffers() {
  const auto buffers = network_.buffers();
  if (parallel_.ranks == 1 || buffers.empty()) return;
  parallel_.sum(buffers);
  const float scale = 1.0f / static_cast<float>(parallel_.ranks);
  for (float& b : buffers) b *= scale;
}

std::string Trainer::checkpoint_payload() const {
  ByteWriter out;
  out.put_string(kStateKind);
  out.put_string(to_json(config_).dump());
  out.put<std::uint64_t>(epoch_);
  out.put<std::uint64_t>(iteration_);
  out.put<double>(elapsed_seconds());
  out.put<double>(train_seconds_);
  out.put<double>(epoch_loss_sum_);
  objective_.save(out);
  out.put_array<float>(network_.params().values());
  out.put_array<float>(network_.buffers());
  method_->save(out);
  schedule_.save(out);
  history_.save(out);
  best_.save(out);
  if (averaged_) averaged_->save(out);
  return out.take();
}

void Trainer::save_checkpoint() {
  if (folder_.empty()) return;
  folder_.write_checkpoint(checkpoint_payload());
}

void Trainer::resume(const std::filesystem::path& checkpoint) {
  const std::string payload = read_checkpoint(checkpoint);
  ByteReader in(payload, checkpoint.string());
  if (in.get_string("kind") != kStateKind) {
    in.fail("kind", "not the state of a training run of this descent (a checkpoint of an older "
                    "version, whose layout it does not read, or another kind of file)");
  }
  if (in.get_string("config") != to_json(config_).dump()) {
    in.fail("config", "the checkpoint belongs to a run of another configuration");
  }
  epoch_ = in.get<std::uint64_t>("epoch");
  iteration_ = in.get<std::uint64_t>("iteration");
  seconds_before_ = in.get<double>("seconds");
  train_seconds_ = in.get<double>("training seconds");
  epoch_loss_sum_ = in.get<double>("epoch loss sum");
  objective_.load(in);
  in.get_into<float>(network_.params().values(), "parameters");
  in.get_into<float>(network_.buffers(), "buffers");
  method_->load(in);
  schedule_.load(in);
  history_.load(in);
  best_.load(in);
  if (averaged_) averaged_->load(in);
  if (!in.at_end()) in.fail("end", "unexpected bytes after the last field");
  if (epoch_ > config_.epochs || epoch_ > method_->epochs_done() ||
      history_.loss.size() != iteration_) {
    in.fail("epoch", "step counters are inconsistent");
  }
  divergence_.replay(history_.loss);
}

TrainResult Trainer::interrupt() {
  save_checkpoint();
  return finish(RunStatus::Interrupted, "stopped at iteration " + std::to_string(iteration_) +
                                            "; resume with `descent train --resume " +
                                            folder_.dir().string() + "`");
}

TrainResult Trainer::finish(RunStatus status, std::string message) {
  TrainResult result;
  result.status = status;
  result.message = std::move(message);
  result.iterations = iteration_;
  result.epochs = history_.epochs.size();
  result.best_epoch = best_.epoch();
  for (const EpochRecord& epoch : history_.epochs) {
    if (epoch.epoch == best_.epoch()) result.best_val_accuracy = epoch.val_accuracy;
  }
  if (!history_.epochs.empty()) {
    result.final_train_accuracy = history_.epochs.back().train_accuracy;
    result.final_val_accuracy = history_.epochs.back().val_accuracy;
    result.final_val_loss = history_.epochs.back().val_loss;
  }
  result.final_loss = history_.loss.empty() ? 0.0f : history_.loss.back();
  result.passes = objective_.passes();
  method_->add_results(result);
  if (status == RunStatus::Finished) {
    best_.restore(network_);
    const auto test = network_.evaluate(data_.test.features, data_.test.labels);
    result.test_accuracy = test.accuracy;
    result.test_loss = test.loss;
    if (averaged_) {
      result.averaged_test = averaged_->evaluate(data_.test.features, data_.test.labels);
      result.averaged_model = averaged_->file_name();
    }
  }
  result.seconds = elapsed_seconds();
  folder_.write_history(history_);
  if (status == RunStatus::Interrupted) return result;
  if (status == RunStatus::Finished) folder_.write_model(network_);
  if (result.averaged_test) folder_.write_model(averaged_->network(), result.averaged_model);
  folder_.write_result(result);
  return result;
}

double Trainer::elapsed_seconds() const {
  return seconds_before_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace descent

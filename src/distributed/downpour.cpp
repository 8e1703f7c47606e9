#include "descent/distributed/downpour.hpp"

#include <mpi.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/threads.hpp"
#include "descent/data/batches.hpp"
#include "descent/optim/registry.hpp"
#include "descent/train/checkpoint.hpp"
#include "descent/train/shard_objective.hpp"

namespace descent {

namespace {

// What a checkpoint's payload holds, and in which layout.
constexpr char kStateKind[] = "descent downpour run 1";

// Message tags. A worker's request is a header {kind, version}; a push is
// followed by the gradient, a fetch answered by the version and the
// parameters, an epoch's end by the worker's state (to the first process)
// and, once the checkpoint is taken, by every server's ack.
enum Tag : int { kHeader = 1, kGradient, kVersion, kParams, kAck, kWorkerState, kServerState, kStart };
enum Kind : std::uint64_t { kFetch = 1, kPush, kEpochEnd };

void send_header(Kind kind, std::uint64_t version, std::size_t server) {
  const std::array<std::uint64_t, 2> header = {kind, version};
  MPI_Send(header.data(), 2, MPI_UINT64_T, static_cast<int>(server), kHeader, MPI_COMM_WORLD);
}

// A byte string, its length first; long ones in pieces of INT_MAX.
void send_bytes(const std::string& bytes, std::size_t to, int tag) {
  const std::uint64_t length = bytes.size();
  MPI_Send(&length, 1, MPI_UINT64_T, static_cast<int>(to), tag, MPI_COMM_WORLD);
  for (std::size_t at = 0; at < bytes.size(); at += INT_MAX) {
    const int count = static_cast<int>(std::min<std::size_t>(INT_MAX, bytes.size() - at));
    MPI_Send(bytes.data() + at, count, MPI_BYTE, static_cast<int>(to), tag, MPI_COMM_WORLD);
  }
}

std::string receive_bytes(std::size_t from, int tag) {
  std::uint64_t length = 0;
  MPI_Recv(&length, 1, MPI_UINT64_T, static_cast<int>(from), tag, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  std::string bytes(length, '\0');
  for (std::size_t at = 0; at < bytes.size(); at += INT_MAX) {
    const int count = static_cast<int>(std::min<std::size_t>(INT_MAX, bytes.size() - at));
    MPI_Recv(bytes.data() + at, count, MPI_BYTE, static_cast<int>(from), tag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
  }
  return bytes;
}

// Which process does what: servers 0 .. S-1 hold the parameter shards,
// workers S .. P-1 the row shards.
struct Layout {
  std::size_t servers = 1;
  std::size_t workers = 1;
  std::vector<RowRange> shards;  // of the parameter buffer, one per server
  std::size_t worker_rank(std::size_t w) const { return servers + w; }
};

// Staleness summed, counted and maximized on one server.
struct StalenessSums {
  double sum = 0;
  double count = 0;
  double max = 0;
};

// One shard of the parameters and the optimizer that updates it.
class Server {
 public:
  Server(const TrainConfig& config, std::span<float> shard, std::size_t workers)
      : shard_(shard),
        optimizer_(make_optimizer<float>(config.optimizer, config.optimizer_options)),
        learning_rate_(static_cast<float>(config.learning_rate)),
        gradient_(shard.size()),
        workers_(workers) {}

  // Answers fetches and applies pushes until every worker has ended the
  // epoch; `on_epoch_end` is called with each worker's rank as it does.
  template <typename OnEpochEnd>
  void serve_epoch(OnEpochEnd on_epoch_end) {
    const int n = static_cast<int>(shard_.size());
    for (std::size_t ended = 0; ended < workers_;) {
      std::array<std::uint64_t, 2> header{};
      MPI_Status status;
      MPI_Recv(header.data(), 2, MPI_UINT64_T, MPI_ANY_SOURCE, kHeader, MPI_COMM_WORLD, &status);
      const int worker = status.MPI_SOURCE;
      if (header[0] == kFetch) {
        MPI_Send(&version_, 1, MPI_UINT64_T, worker, kVersion, MPI_COMM_WORLD);
        MPI_Send(shard_.data(), n, MPI_FLOAT, worker, kParams, MPI_COMM_WORLD);
      } else if (header[0] == kPush) {
        MPI_Recv(gradient_.data(), n, MPI_FLOAT, worker, kGradient, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        const auto stale = static_cast<double>(version_ - header[1]);
        staleness_.sum += stale;
        staleness_.count += 1;
        staleness_.max = std::max(staleness_.max, stale);
        optimizer_->step(shard_, gradient_, learning_rate_);
        ++version_;
      } else {
        ++ended;
        on_epoch_end(static_cast<std::size_t>(worker));
      }
    }
  }

  const StalenessSums& staleness() const { return staleness_; }

  // The shard, its version, the staleness sums and the optimizer's state.
  std::string save() const {
    ByteWriter out;
    out.put<std::uint64_t>(version_);
    out.put<double>(staleness_.sum);
    out.put<double>(staleness_.count);
    out.put<double>(staleness_.max);
    out.put_array<float>(shard_);
    optimizer_->save(out);
    return out.take();
  }
  void load(const std::string& state, const std::string& source) {
    ByteReader in(state, source);
    version_ = in.get<std::uint64_t>("server version");
    staleness_.sum = in.get<double>("staleness sum");
    staleness_.count = in.get<double>("staleness count");
    staleness_.max = in.get<double>("staleness max");
    in.get_into<float>(shard_, "server shard");
    optimizer_->load(in);
  }

 private:
  std::span<float> shard_;
  std::unique_ptr<Optimizer<float>> optimizer_;
  float learning_rate_;
  std::vector<float> gradient_;
  std::size_t workers_;
  std::uint64_t version_ = 0;  // updates applied to this shard
  StalenessSums staleness_;
};

// A replica trained on one shard of the training rows.
class Worker {
 public:
  Worker(const TrainConfig& config, const DownpourConfig& downpour, const Layout& layout,
         Dataset rows, std::uint64_t seed)
      : config_(config),
        downpour_(downpour),
        layout_(layout),
        rows_(std::move(rows)),
        network_(config.network, config.seed),
        sampler_(rows_.size(), config.batch_size),
        rng_(seed),
        accumulated_(network_.params().size(), 0.0f),
        versions_(layout.servers, 0) {}

  // One pass over the worker's rows, fetching and pushing on schedule; the
  // minibatch losses of the epoch are kept for its record.
  void train_epoch() {
    const std::size_t batches = sampler_.batches_per_epoch();
    const std::size_t steps = config_.epochs * batches;
    losses_.clear();
    for (std::size_t b = 0; b < batches; ++b, ++step_) {
      if (b == 0) sampler_.start_epoch(rng_);
      if (step_ % downpour_.n_fetch == 0) fetch();
      const auto indices = sampler_.batch(b);
      x_.resize(static_cast<Eigen::Index>(indices.size()), static_cast<Eigen::Index>(rows_.dim()));
      y_.resize(indices.size());
      for (std::size_t r = 0; r < indices.size(); ++r) {
        x_.row(static_cast<Eigen::Index>(r)) = rows_.features.row(indices[r]);
        y_[r] = rows_.labels[indices[r]];
      }
      losses_.push_back(network_.loss_and_grad(x_, y_, rng_));
      const auto grads = network_.params().grads();
      for (std::size_t i = 0; i < grads.size(); ++i) accumulated_[i] += grads[i];
      if ((step_ + 1) % downpour_.n_push == 0 || step_ + 1 == steps) push();
    }
  }

  // The epoch's losses, then the state to resume from.
  std::string save() const {
    ByteWriter out;
    out.put_array<float>(losses_);
    out.put<std::uint64_t>(step_);
    out.put_string(rng_.save());
    sampler_.save(out);
    out.put_array<float>(network_.params().values());
    out.put_array<float>(accumulated_);
    out.put_array<std::uint64_t>(versions_);
    return out.take();
  }
  void load(const std::string& state, const std::string& source) {
    ByteReader in(state, source);
    in.get_array<float>("worker losses");
    step_ = in.get<std::uint64_t>("worker step");
    rng_.load(in.get_string("worker random state"));
    sampler_.load(in);
    in.get_into<float>(network_.params().values(), "worker replica");
    in.get_into<float>(std::span<float>(accumulated_), "worker gradient sum");
    in.get_into<std::uint64_t>(std::span<std::uint64_t>(versions_), "worker versions");
  }

 private:
  void fetch() {
    const auto params = network_.params().values();
    for (std::size_t s = 0; s < layout_.servers; ++s) {
      const RowRange shard = layout_.shards[s];
      send_header(kFetch, 0, s);
      MPI_Recv(&versions_[s], 1, MPI_UINT64_T, static_cast<int>(s), kVersion, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      MPI_Recv(params.data() + shard.begin, static_cast<int>(shard.size()), MPI_FLOAT,
               static_cast<int>(s), kParams, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
  }

  void push() {
    for (std::size_t s = 0; s < layout_.servers; ++s) {
      const RowRange shard = layout_.shards[s];
      send_header(kPush, versions_[s], s);
      MPI_Send(accumulated_.data() + shard.begin, static_cast<int>(shard.size()), MPI_FLOAT,
               static_cast<int>(s), kGradient, MPI_COMM_WORLD);
    }
    std::fill(accumulated_.begin(), accumulated_.end(), 0.0f);
  }

  const TrainConfig& config_;
  const DownpourConfig& downpour_;
  const Layout& layout_;
  Dataset rows_;
  Network network_;
  BatchSampler sampler_;
  Rng rng_;  // shuffles and dropout masks
  std::vector<float> accumulated_;       // gradients since the last push
  std::vector<std::uint64_t> versions_;  // of each server's shard at the last fetch
  std::uint64_t step_ = 0;
  std::vector<float> losses_;  // of the epoch in progress
  Matrix x_;
  std::vector<std::int32_t> y_;
};

// The first process's account of the run: the history, the checkpoint and
// the results.
class Recorder {
 public:
  Recorder(const TrainConfig& config, const DownpourConfig& downpour, const Layout& layout,
           const DataSplits& data, const RunFolder& folder)
      : config_(config),
        downpour_(downpour),
        layout_(layout),
        data_(data),
        folder_(folder),
        network_(config.network, config.seed),
        train_eval_(random_rows(data.train, config.train_eval_samples, stream_seed(config.seed, 3))),
        server_states_(layout.servers),
        worker_states_(layout.workers),
        start_(std::chrono::steady_clock::now()) {}

  void set_server_state(std::size_t s, std::string state) { server_states_[s] = std::move(state); }
  void set_worker_state(std::size_t w, std::string state) { worker_states_[w] = std::move(state); }
  const std::string& server_state(std::size_t s) const { return server_states_[s]; }
  const std::string& worker_state(std::size_t w) const { return worker_states_[w]; }

  // Epoch `epoch` (1-based) has ended and every state is in: its record, the
  // history files and the checkpoint.
  void end_epoch(std::size_t epoch) {
    gather_parameters();
    // Iteration k of the epoch: step k of every worker that has one.
    std::vector<std::vector<float>> losses;
    std::size_t longest = 0;
    for (const std::string& state : worker_states_) {
      ByteReader in(state, "worker state");
      losses.push_back(in.get_array<float>("worker losses"));
      longest = std::max(longest, losses.back().size());
    }
    double epoch_sum = 0;
    std::size_t epoch_count = 0;
    const double n = static_cast<double>(data_.train.size());
    for (std::size_t k = 0; k < longest; ++k) {
      double sum = 0;
      double samples = 0;  // of this epoch, all workers, up to step k
      std::size_t count = 0;
      for (std::size_t w = 0; w < losses.size(); ++w) {
        const std::size_t rows = shard_rows(data_.train.size(), w, layout_.workers).size();
        samples += static_cast<double>(std::min((k + 1) * config_.batch_size, rows));
        if (k < losses[w].size()) {
          sum += losses[w][k];
          ++count;
        }
      }
      history_.loss.push_back(static_cast<float>(sum / static_cast<double>(count)));
      history_.learning_rate.push_back(static_cast<float>(config_.learning_rate));
      history_.passes.push_back(static_cast<double>(epoch - 1) + samples / n);
      epoch_sum += sum;
      epoch_count += count;
    }
    const auto evaluation_start = std::chrono::steady_clock::now();
    const auto train_eval = network_.evaluate(train_eval_.features, train_eval_.labels);
    const auto val_eval = network_.evaluate(data_.validation.features, data_.validation.labels);
    evaluation_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - evaluation_start).count();
    EpochRecord record;
    record.epoch = epoch;
    record.iteration = history_.loss.size();
    record.learning_rate = config_.learning_rate;
    record.train_loss = epoch_sum / static_cast<double>(epoch_count);
    record.train_accuracy = train_eval.accuracy;
    record.val_loss = val_eval.loss;
    record.val_accuracy = val_eval.accuracy;
    record.seconds = elapsed_seconds();
    record.train_seconds = record.seconds - evaluation_seconds_;
    history_.epochs.push_back(record);
    folder_.write_checkpoint(checkpoint_payload(epoch));
    folder_.write_history(history_);
  }

  // Reads the checkpoint: the epochs it has done, and every process's state.
  std::size_t resume() {
    const std::string payload = folder_.read_checkpoint();
    ByteReader in(payload, folder_.file("checkpoint.bin").string());
    if (in.get_string("kind") != kStateKind) {
      in.fail("kind", "not the checkpoint of a Downpour run of this descent");
    }
    if (in.get_string("config") != to_json(config_).dump()) {
      in.fail("config", "the checkpoint belongs to a run of another configuration");
    }
    const auto servers = in.get<std::uint64_t>("servers");
    const auto workers = in.get<std::uint64_t>("workers");
    if (servers != layout_.servers || workers != layout_.workers) {
      in.fail("servers", "the run had " + std::to_string(servers) + " servers and " +
                             std::to_string(workers) + " workers; resume it on " +
                             std::to_string(servers + workers) + " processes with --servers " +
                             std::to_string(servers));
    }
    if (in.get<std::uint64_t>("n-fetch") != downpour_.n_fetch ||
        in.get<std::uint64_t>("n-push") != downpour_.n_push) {
      in.fail("n-fetch", "the run had other --n-fetch or --n-push settings");
    }
    const auto epochs = in.get<std::uint64_t>("epoch");
    seconds_before_ = in.get<double>("seconds");
    evaluation_seconds_ = in.get<double>("evaluation seconds");
    history_.load(in);
    for (std::string& state : server_states_) state = in.get_string("server state");
    for (std::string& state : worker_states_) state = in.get_string("worker state");
    if (!in.at_end()) in.fail("end", "unexpected bytes after the last field");
    if (epochs > config_.epochs || history_.epochs.size() != epochs) {
      in.fail("epoch", "epoch counters are inconsistent");
    }
    return epochs;
  }

  TrainResult finish(const Layout& layout) {
    gather_parameters();
    const auto test = network_.evaluate(data_.test.features, data_.test.labels);
    TrainResult result;
    result.iterations = history_.loss.size();
    result.epochs = history_.epochs.size();
    if (!history_.epochs.empty()) {
      const EpochRecord& last = history_.epochs.back();
      result.best_epoch = last.epoch;
      result.best_val_accuracy = last.val_accuracy;
      result.final_train_accuracy = last.train_accuracy;
      result.final_val_accuracy = last.val_accuracy;
      result.final_val_loss = last.val_loss;
    }
    result.test_accuracy = test.accuracy;
    result.test_loss = test.loss;
    result.final_loss = history_.loss.empty() ? 0.0f : history_.loss.back();
    result.passes = history_.passes.empty() ? 0.0 : history_.passes.back();
    result.seconds = elapsed_seconds();
    StalenessSums total;
    for (const std::string& state : server_states_) {
      ByteReader in(state, "server state");
      in.get<std::uint64_t>("server version");
      total.sum += in.get<double>("staleness sum");
      total.count += in.get<double>("staleness count");
      total.max = std::max(total.max, in.get<double>("staleness max"));
    }
    result.details = {
        {"method", "downpour"},
        {"servers", layout.servers},
        {"workers", layout.workers},
        {"n_fetch", downpour_.n_fetch},
        {"n_push", downpour_.n_push},
        {"gradients", static_cast<std::uint64_t>(total.count)},
        {"staleness_mean", total.count > 0 ? total.sum / total.count : 0.0},
        {"staleness_max", static_cast<std::uint64_t>(total.max)},
    };
    folder_.write_history(history_);
    folder_.write_model(network_);
    folder_.write_result(result);
    return result;
  }

 private:
  // The servers' shards, from their states, into network_.
  void gather_parameters() {
    const auto params = network_.params().values();
    for (std::size_t s = 0; s < layout_.servers; ++s) {
      ByteReader in(server_states_[s], "server state");
      in.get<std::uint64_t>("server version");
      in.get<double>("staleness sum");
      in.get<double>("staleness count");
      in.get<double>("staleness max");
      const RowRange shard = layout_.shards[s];
      in.get_into<float>(params.subspan(shard.begin, shard.size()), "server shard");
    }
  }

  std::string checkpoint_payload(std::size_t epoch) const {
    ByteWriter out;
    out.put_string(kStateKind);
    out.put_string(to_json(config_).dump());
    out.put<std::uint64_t>(layout_.servers);
    out.put<std::uint64_t>(layout_.workers);
    out.put<std::uint64_t>(downpour_.n_fetch);
    out.put<std::uint64_t>(downpour_.n_push);
    out.put<std::uint64_t>(epoch);
    out.put<double>(elapsed_seconds());
    out.put<double>(evaluation_seconds_);
    history_.save(out);
    for (const std::string& state : server_states_) out.put_string(state);
    for (const std::string& state : worker_states_) out.put_string(state);
    return out.take();
  }

  double elapsed_seconds() const {
    return seconds_before_ +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  const TrainConfig& config_;
  const DownpourConfig& downpour_;
  const Layout& layout_;
  const DataSplits& data_;
  const RunFolder& folder_;
  Network network_;  // the servers' parameters, gathered
  Dataset train_eval_;
  History history_;
  std::vector<std::string> server_states_;
  std::vector<std::string> worker_states_;
  double seconds_before_ = 0;
  double evaluation_seconds_ = 0;  // of the epochs' evaluations, resumes included
  std::chrono::steady_clock::time_point start_;
};

Layout layout_of(const MpiWorld& world, const DownpourConfig& downpour, std::size_t params) {
  Layout layout;
  layout.servers = downpour.servers;
  layout.workers = world.size() - downpour.servers;
  for (std::size_t s = 0; s < layout.servers; ++s) {
    layout.shards.push_back(shard_rows(params, s, layout.servers));
  }
  return layout;
}

// The epochs already done, on every process; the first process reads the
// checkpoint and hands each other process its state.
std::size_t start_epoch(const MpiWorld& world, const Layout& layout, Recorder* recorder,
                        Server* server, Worker* worker, bool resume) {
  std::uint64_t epochs = 0;
  if (world.rank() == 0 && resume) epochs = recorder->resume();
  MPI_Bcast(&epochs, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (epochs == 0) return 0;
  if (world.rank() == 0) {
    server->load(recorder->server_state(0), "checkpoint, server 0");
    for (std::size_t s = 1; s < layout.servers; ++s) {
      send_bytes(recorder->server_state(s), s, kStart);
    }
    for (std::size_t w = 0; w < layout.workers; ++w) {
      send_bytes(recorder->worker_state(w), layout.worker_rank(w), kStart);
    }
  } else if (server != nullptr) {
    server->load(receive_bytes(0, kStart), "checkpoint, server " + std::to_string(world.rank()));
  } else {
    worker->load(receive_bytes(0, kStart), "checkpoint, worker " + std::to_string(world.rank()));
  }
  return epochs;
}

}  // namespace

void DownpourConfig::validate(std::size_t processes, const TrainConfig& config) const {
  if (servers < 1 || servers >= processes) {
    throw ConfigError("servers: expected at least 1 and fewer than the " +
                      std::to_string(processes) + " processes, got " + std::to_string(servers));
  }
  if (n_fetch < 1) throw ConfigError("n-fetch: expected at least 1, got 0");
  if (n_push < 1) throw ConfigError("n-push: expected at least 1, got 0");
  for (const auto& [flag, on] :
       {std::pair{"drop-last", config.drop_last}, std::pair{"shuffle-once", config.shuffle_once}}) {
    if (on) {
      throw ConfigError(std::string(flag) +
                        ": not available with downpour, whose workers each shuffle their "
                        "own shard every epoch");
    }
  }
}

TrainResult run_downpour(const MpiWorld& world, const TrainConfig& config, const DataSplits& data,
                         const DownpourConfig& downpour, const RunFolder& folder, bool resume) {
  downpour.validate(world.size(), config);
  config.validate();
  set_num_threads(config.threads);
  const std::size_t workers = world.size() - downpour.servers;
  if (data.train.size() < workers) {
    throw ConfigError("downpour: " + std::to_string(workers) + " workers need at least as many " +
                      "training samples, got " + std::to_string(data.train.size()));
  }
  // Every process starts from the same initial parameters.
  Network initial(config.network, config.seed);
  const Layout layout = layout_of(world, downpour, initial.params().size());
  const bool is_server = world.rank() < layout.servers;

  std::optional<Recorder> recorder;
  if (world.rank() == 0) {
    folder.write_config(config);
    recorder.emplace(config, downpour, layout, data, folder);
  }
  std::optional<Server> server;
  std::optional<Worker> worker;
  const auto params = initial.params().values();
  if (is_server) {
    const RowRange mine = layout.shards[world.rank()];
    server.emplace(config, params.subspan(mine.begin, mine.size()), workers);
  } else {
    const std::size_t w = world.rank() - layout.servers;
    const RowRange rows = shard_rows(data.train.size(), w, workers);
    std::vector<std::uint32_t> indices(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      indices[i] = static_cast<std::uint32_t>(rows.begin + i);
    }
    // Seeds are base + rank: each worker its own shuffles and dropout masks.
    worker.emplace(config, downpour, layout, take_rows(data.train, indices),
                   config.seed + world.rank());
  }

  const std::size_t done = start_epoch(world, layout, recorder ? &*recorder : nullptr,
                                       server ? &*server : nullptr, worker ? &*worker : nullptr,
                                       resume);
  for (std::size_t epoch = done + 1; epoch <= config.epochs; ++epoch) {
    if (worker) {
      worker->train_epoch();
      for (std::size_t s = 0; s < layout.servers; ++s) send_header(kEpochEnd, 0, s);
      send_bytes(worker->save(), 0, kWorkerState);
      for (std::size_t s = 0; s < layout.servers; ++s) {
        MPI_Recv(nullptr, 0, MPI_BYTE, static_cast<int>(s), kAck, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
      }
      continue;
    }
    server->serve_epoch([&](std::size_t worker_rank) {
      if (recorder) {
        recorder->set_worker_state(worker_rank - layout.servers,
                                   receive_bytes(worker_rank, kWorkerState));
      }
    });
    // Every worker waits for the acks: the states below are one moment's.
    if (recorder) {
      recorder->set_server_state(0, server->save());
      for (std::size_t s = 1; s < layout.servers; ++s) {
        recorder->set_server_state(s, receive_bytes(s, kServerState));
      }
      recorder->end_epoch(epoch);
    } else {
      send_bytes(server->save(), 0, kServerState);
    }
    for (std::size_t w = 0; w < workers; ++w) {
      MPI_Send(nullptr, 0, MPI_BYTE, static_cast<int>(layout.worker_rank(w)), kAck,
               MPI_COMM_WORLD);
    }
  }
  if (!recorder) return {};
  return recorder->finish(layout);
}

}  // namespace descent

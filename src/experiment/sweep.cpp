#include "descent/experiment/sweep.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "descent/experiment/metrics_csv.hpp"
#include "descent/experiment/summary.hpp"
#include "descent/experiment/tensorboard_events.hpp"
#include "descent/train/run_folder.hpp"

namespace descent {

namespace {

namespace fs = std::filesystem;

std::string config_text(const TrainConfig& config) { return to_json(config).dump(2) + "\n"; }

// Whether `stored`, a run's config.json, is `config` with another thread count.
bool differs_in_threads_only(const std::string& stored, const TrainConfig& config) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(stored);
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  const auto threads = json.find("threads");
  if (threads == json.end() || !threads->is_number_integer()) return false;
  TrainConfig other = config;
  other.threads = threads->get<int>();
  return config_text(other) == stored;
}

// The run as an earlier invocation left it: ended (its metrics.json) or not.
// A folder of another configuration is cleared, so the run starts afresh.
// Threads change how fast a run goes, not what it is: an ended run trained
// with other threads per run is kept, an unfinished one (whose checkpoint
// names its threads) starts afresh.
RunRecord recorded_run(const RunSpec& spec, const fs::path& dir) {
  RunRecord record;
  record.spec = spec;
  const fs::path config_file = dir / "config.json";
  if (!fs::exists(config_file)) return record;
  const std::string stored = read_file(config_file);
  const bool same = stored == config_text(spec.config);
  if (!same && !differs_in_threads_only(stored, spec.config)) {
    fs::remove_all(dir);
    return record;
  }
  const std::optional<TrainResult> ended = RunFolder(dir).read_result();
  if (!ended || !has_ended(ended->status)) {
    if (!same) fs::remove_all(dir);
    return record;
  }
  record.result = *ended;
  record.kept = true;
  return record;
}

// What an ended run adds to its record and folder: its time to target, and,
// when it has just ended here, its event file; its checkpoint is dropped
// unless asked to keep it.
void close_run(RunRecord& record, const fs::path& dir, const SweepOptions& options,
               bool just_ended) {
  record.target = to_string(options.target);
  if (record.result.status == RunStatus::Pending) return;
  const RunFolder folder(dir);
  const History history = folder.read_history();
  record.to_target = time_to_target(history, options.target);
  if (!just_ended) return;
  if (options.tensorboard) {
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    write_tensorboard_events(dir, history, now - record.result.seconds);
  }
  if (!options.keep_checkpoints) fs::remove(folder.file("checkpoint.bin"));
  // history.json holds what the run's CSV tables hold, and the sweep's
  // metrics.csv serves those who read CSV: nothing is stored twice.
  fs::remove(folder.file("history.csv"));
  fs::remove(folder.file("loss.csv"));
}

// Unless every model is to be kept: the best parameters (model.bin) stay only
// with each optimizer's best run, its finished run of the highest run_score
// (the first of equals; the one `descent ensemble
// --from-compare` takes), and with the other seeds of that run's
// configuration; the other ended runs drop theirs.
void keep_best_models(const fs::path& out_dir, const std::vector<RunRecord>& runs) {
  const auto configuration = [](const RunRecord& run) {
    TrainConfig config = run.spec.config;
    config.seed = 0;
    config.threads = 0;
    return config_text(config);
  };
  std::map<std::string, const RunRecord*> best;  // optimizer -> its best run
  for (const RunRecord& run : runs) {
    if (run.result.status != RunStatus::Finished) continue;
    const auto [it, added] = best.try_emplace(run.spec.config.optimizer, &run);
    if (!added && run_score(run) > run_score(*it->second)) {
      it->second = &run;
    }
  }
  for (const RunRecord& run : runs) {
    if (run.result.status == RunStatus::Pending) continue;
    const auto kept = best.find(run.spec.config.optimizer);
    if (kept != best.end() && configuration(*kept->second) == configuration(run)) continue;
    const fs::path dir = out_dir / "runs" / run.spec.id;
    for (const char* model : {"model.bin", "model_ema.bin", "model_swa.bin"}) {
      fs::remove(dir / model);
    }
  }
}

// metrics.csv: the histories of the runs that have ended, in the order of
// experiment.json.
void write_metrics_csv(const fs::path& out_dir, const std::vector<RunRecord>& runs) {
  std::vector<History> histories;
  std::vector<const RunRecord*> ended;
  for (const RunRecord& run : runs) {
    if (run.result.status == RunStatus::Pending) continue;
    histories.push_back(RunFolder(out_dir / "runs" / run.spec.id).read_history());
    ended.push_back(&run);
  }
  std::vector<RunHistory> tables;
  for (std::size_t i = 0; i < ended.size(); ++i) {
    tables.push_back({ended[i]->spec.id, histories[i]});
  }
  write_file_atomic(out_dir / "metrics.csv", metrics_csv(tables));
}

void train_run(RunRecord& record, const DataSplits& data, const fs::path& dir,
               const std::function<bool()>& stop) {
  Trainer trainer(record.spec.config, data, dir);
  const fs::path checkpoint = dir / "checkpoint.bin";
  if (fs::exists(checkpoint)) trainer.resume(checkpoint);
  trainer.on_iteration = [&stop](const Progress&) { return stop(); };
  record.result = trainer.run();
  // An interrupted run is one the sweep has still to finish.
  if (record.result.status == RunStatus::Interrupted) record.result.status = RunStatus::Pending;
}

// Settings and the runs of each group, as docs/compare-folder.md describes.
void write_experiment(const fs::path& out_dir, nlohmann::json settings,
                      const std::map<std::string, std::vector<std::string>>& group_runs) {
  for (auto& group : settings["groups"]) {
    const auto runs = group_runs.find(group["name"].get<std::string>());
    group["runs"] = runs == group_runs.end() ? std::vector<std::string>{} : runs->second;
  }
  write_file_atomic(out_dir / "experiment.json", settings.dump(2) + "\n");
}

// A folder may only be continued by the same experiment.
void check_same_experiment(const fs::path& out_dir, const nlohmann::json& settings) {
  const fs::path file = out_dir / "experiment.json";
  if (!fs::exists(file)) return;
  nlohmann::json stored = read_json_file(file);
  if (stored.is_object() && stored.contains("groups") && stored["groups"].is_array()) {
    for (auto& group : stored["groups"]) {
      if (group.is_object()) group.erase("runs");
    }
  }
  if (stored != settings) {
    throw ConfigError("out: '" + out_dir.string() + "' holds a sweep of another experiment (" +
                      file.string() + " differs); choose another --out");
  }
}

}  // namespace

double run_score(const RunRecord& run) {
  return run.spec.config.network.loss == LossKind::softmax ? run.result.final_val_accuracy
                                                           : -run.result.final_val_loss;
}

std::map<std::string, double> best_learning_rates(const std::vector<RunRecord>& runs,
                                                  const std::vector<std::string>& run_ids) {
  struct Tally {
    double score_sum = 0;
    std::size_t count = 0;
    bool all_finished = true;
  };
  std::map<std::string, std::map<double, Tally>> tallies;  // optimizer -> lr -> tally
  const std::set<std::string> wanted(run_ids.begin(), run_ids.end());
  for (const RunRecord& run : runs) {
    if (!wanted.count(run.spec.id)) continue;
    Tally& t = tallies[run.spec.config.optimizer][run.spec.config.learning_rate];
    if (run.result.status != RunStatus::Finished) {
      t.all_finished = false;
      continue;
    }
    t.score_sum += run_score(run);
    ++t.count;
  }
  std::map<std::string, double> best;
  for (const auto& [optimizer, by_lr] : tallies) {
    double best_score = -std::numeric_limits<double>::infinity();
    for (const auto& [lr, t] : by_lr) {
      if (!t.all_finished || t.count == 0) continue;
      const double score = t.score_sum / static_cast<double>(t.count);
      if (score > best_score) {
        best_score = score;
        best[optimizer] = lr;
      }
    }
  }
  return best;
}

SweepResult run_sweep(const Experiment& given, const DataSplits& data, const SweepOptions& options,
                      const SweepEvents& events) {
  Experiment experiment = given;
  fit_network_to_data(experiment.base, data);
  experiment.validate();
  if (options.jobs < 1) throw ConfigError("jobs: expected at least 1, got 0");
  if (options.threads_per_run < 1) {
    throw ConfigError("threads-per-run: expected at least 1, got " +
                      std::to_string(options.threads_per_run));
  }
  const SweepShare& share = options.share;
  if (share.ranks < 1 || share.rank >= share.ranks || (share.ranks > 1 && !share.barrier)) {
    throw ConfigError("sweep share: expected rank < ranks and a barrier, got rank " +
                      std::to_string(share.rank) + " of " + std::to_string(share.ranks));
  }
  const bool writes = share.rank == 0;  // the sweep's own files
  const fs::path& out = options.out_dir;
  fs::create_directories(out / "runs");
  const nlohmann::json settings = to_json(experiment);
  check_same_experiment(out, settings);
  // Every process has read the folder as it was before any of them writes.
  if (share.ranks > 1) share.barrier();

  SweepResult result;
  std::map<std::string, std::size_t> position;  // run id -> index in result.runs
  std::set<std::string> done_groups;
  std::vector<const GroupSpec*> remaining;
  for (const GroupSpec& group : experiment.groups) remaining.push_back(&group);
  if (writes) write_experiment(out, settings, result.group_runs);

  std::mutex mutex;  // guards result.runs' states, the summary files and the events
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  const std::function<bool()> stop = [&] {
    return failed.load() || (events.stop != nullptr && events.stop->load());
  };
  std::size_t ended = 0;

  while (!remaining.empty() && !stop()) {
    // The groups whose learning rates are known: a wave trained together.
    std::vector<const GroupSpec*> wave;
    for (const GroupSpec* group : remaining) {
      if (group->best_lr_from.empty() || done_groups.count(group->best_lr_from)) {
        wave.push_back(group);
      }
    }
    std::vector<std::size_t> queue;
    const std::size_t wave_start = result.runs.size();  // the runs this wave adds
    for (const GroupSpec* group : wave) {
      result.group_runs[group->name];  // a group may have no runs
      std::map<std::string, double> best_lrs;
      if (!group->best_lr_from.empty()) {
        best_lrs = best_learning_rates(result.runs, result.group_runs[group->best_lr_from]);
      }
      for (RunSpec& spec : expand_group(experiment, *group, best_lrs)) {
        spec.config.threads = options.threads_per_run;
        result.group_runs[group->name].push_back(spec.id);
        const auto known = position.find(spec.id);
        if (known != position.end()) {
          if (config_text(result.runs[known->second].spec.config) != config_text(spec.config)) {
            throw ConfigError("group '" + group->name + "': run '" + spec.id +
                              "' is defined twice with different settings");
          }
          continue;
        }
        position[spec.id] = result.runs.size();
        result.runs.push_back(recorded_run(spec, out / "runs" / spec.id));
        close_run(result.runs.back(), out / "runs" / spec.id, options, false);
        if (result.runs.back().result.status == RunStatus::Pending)
          queue.push_back(result.runs.size() - 1);
      }
    }
    if (writes) {
      write_experiment(out, settings, result.group_runs);
      write_summary(out, result.runs);
    }
    // This process's share of the wave's queue.
    std::vector<std::size_t> mine;
    for (std::size_t j = share.rank; j < queue.size(); j += share.ranks) mine.push_back(queue[j]);
    queue = std::move(mine);
    // Every process has looked at the wave's folders before any trains in them.
    if (share.ranks > 1) share.barrier();
    for (std::size_t i = wave_start; i < result.runs.size(); ++i) {
      const RunRecord& run = result.runs[i];
      if (run.kept && events.on_run_end) events.on_run_end(run, ++ended, result.runs.size());
    }

    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
      while (!stop()) {
        const std::size_t i = next++;
        if (i >= queue.size()) return;
        RunRecord record;
        {
          std::lock_guard<std::mutex> lock(mutex);
          record = result.runs[queue[i]];
        }
        try {
          train_run(record, data, out / "runs" / record.spec.id, stop);
          close_run(record, out / "runs" / record.spec.id, options, true);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex);
          if (!error) error = std::current_exception();
          failed = true;
          return;
        }
        std::lock_guard<std::mutex> lock(mutex);
        result.runs[queue[i]] = record;
        if (record.result.status == RunStatus::Pending) continue;
        if (writes) write_summary(out, result.runs);
        if (events.on_run_end) events.on_run_end(record, ++ended, result.runs.size());
      }
    };
    const std::size_t workers = std::min(options.jobs, queue.size());
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(worker);
    if (workers > 0) worker();
    for (auto& thread : threads) thread.join();
    if (error) std::rethrow_exception(error);
    if (share.ranks > 1) {
      share.barrier();
      // The runs the other processes trained, as their folders hold them.
      for (std::size_t i = wave_start; i < result.runs.size(); ++i) {
        RunRecord& run = result.runs[i];
        if (run.result.status != RunStatus::Pending) continue;
        run = recorded_run(run.spec, out / "runs" / run.spec.id);
        close_run(run, out / "runs" / run.spec.id, options, false);
        run.kept = false;
        if (run.result.status != RunStatus::Pending && events.on_run_end) {
          events.on_run_end(run, ++ended, result.runs.size());
        }
      }
    }
    if (writes) write_summary(out, result.runs);

    for (const GroupSpec* group : wave) {
      done_groups.insert(group->name);
      remaining.erase(std::find(remaining.begin(), remaining.end(), group));
    }
  }
  if (writes) write_metrics_csv(out, result.runs);
  const bool all_ended =
      remaining.empty() &&
      std::none_of(result.runs.begin(), result.runs.end(),
                   [](const RunRecord& run) { return run.result.status == RunStatus::Pending; });
  if (writes && all_ended && !options.keep_models) keep_best_models(out, result.runs);
  result.interrupted =
      !remaining.empty() ||
      std::any_of(result.runs.begin(), result.runs.end(),
                  [](const RunRecord& run) { return run.result.status == RunStatus::Pending; });
  return result;
}

}  // namespace descent

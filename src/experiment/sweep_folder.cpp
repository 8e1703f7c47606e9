#include "descent/experiment/sweep_folder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "descent/core/text.hpp"
#include "descent/train/problem.hpp"
#include "descent/train/run_folder.hpp"

namespace descent {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool file_exists(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

const json& json_array(const json& object, const char* key, const std::string& where) {
  const json& value = json_field(object, key, where);
  if (!value.is_array()) json_wrong_type(value, key, where, "an array");
  return value;
}

// summary.json and metrics.json write the trainer's statuses; an interrupted
// run is one the sweep has still to finish.
RunStatus folder_status(RunStatus status) {
  return status == RunStatus::Interrupted ? RunStatus::Pending : status;
}

std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return shortest(value.get<double>());
  return value.dump();
}

std::vector<FolderGroup> read_groups(const json& experiment, const std::string& source) {
  std::vector<FolderGroup> groups;
  const json& list = json_array(experiment, "groups", source);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = source + ", group " + std::to_string(i + 1);
    FolderGroup group;
    group.name = json_text(list[i], "name", where);
    group.title = json_text(list[i], "title", where);
    const std::string kind = json_text(list[i], "kind", where);
    try {
      group.kind = parse_group_kind(kind);
    } catch (const ConfigError&) {
      throw FormatError(where + ": field 'kind': expected curves, lr-sweep or decay, found '" +
                        kind + "'");
    }
    if (list[i].contains("study")) {
      const json& study = list[i]["study"];
      if (!study.is_number_unsigned())
        json_wrong_type(study, "study", where, "a whole number >= 0");
      group.study = study.get<std::size_t>();
    }
    for (const json& run : json_array(list[i], "runs", where)) {
      if (!run.is_string()) json_wrong_type(run, "runs", where, "an array of run names");
      group.runs.push_back(run.get<std::string>());
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

FolderRun read_summary_row(const json& row, const std::string& where) {
  FolderRun run;
  run.name = json_text(row, "run", where);
  if (run.name.empty() || run.name == "." || run.name == ".." ||
      run.name.find('/') != std::string::npos) {
    throw FormatError(where + ": field 'run': '" + run.name + "' is not a folder name");
  }
  run.optimizer = json_text(row, "optimizer", where);
  run.lr = json_number(row, "lr", where);
  run.schedule = json_text(row, "schedule", where);
  run.seed = static_cast<std::uint64_t>(json_count(row, "seed", where));
  const json& hyperparameters = json_field(row, "hyperparameters", where);
  if (!hyperparameters.is_object()) {
    json_wrong_type(hyperparameters, "hyperparameters", where, "an object");
  }
  for (const auto& [name, value] : hyperparameters.items()) {
    run.hyperparameters.emplace_back(name, value_text(value));
  }
  run.status = folder_status(parse_run_status(json_text(row, "status", where), where));
  run.train_acc = json_number_or_null(row, "train_acc", where);
  run.val_acc = json_number_or_null(row, "val_acc", where);
  run.test_acc = json_number_or_null(row, "test_acc", where);
  run.best_epoch = json_count(row, "best_epoch", where);
  run.final_loss = json_number_or_null(row, "final_loss", where);
  run.seconds = json_number_or_null(row, "seconds", where);
  if (row.contains("target")) {
    run.target = json_text(row, "target", where);
    // null: never reached (JSON has no infinity).
    const auto time = [&](const char* key) {
      const double value = json_number_or_null(row, key, where);
      return std::isnan(value) ? TimeToTarget::kNever : value;
    };
    run.to_target.steps = time("steps_to_target");
    run.to_target.passes = time("passes_to_target");
    run.to_target.seconds = time("seconds_to_target");
  }
  return run;
}

// metrics.json is the run's own account, written when it ends; the sweep
// copies it into summary.json after, so the run's is the newer of the two.
void read_metrics(FolderRun& run, const RunFolder& folder) {
  const TrainResult metrics = *folder.read_result();
  run.status = folder_status(metrics.status);
  run.message = metrics.message;
  run.best_epoch = metrics.best_epoch;
  run.train_acc = metrics.final_train_accuracy;
  run.val_acc = metrics.final_val_accuracy;
  run.test_acc = metrics.test_accuracy;
  run.val_loss = metrics.final_val_loss;
  run.final_loss = metrics.final_loss;
  run.seconds = metrics.seconds;
}

void read_history(FolderRun& run, const RunFolder& folder) {
  const History history = folder.read_history();
  run.loss.assign(history.loss.begin(), history.loss.end());
  run.passes = history.passes;
  run.epochs = history.epochs;
}

void read_run_folder(FolderRun& run, const fs::path& run_dir) {
  const RunFolder folder(run_dir);
  const fs::path metrics = folder.file("metrics.json");
  const fs::path history = folder.file("history.json");
  if (file_exists(metrics)) {
    read_metrics(run, folder);
  } else if (run.status != RunStatus::Pending) {
    throw IoError(metrics.string() + ": missing, but summary.json says the run " +
                  to_string(run.status));
  } else {
    // The summary's zeros of a run that has not ended are no results.
    run.train_acc = run.val_acc = run.test_acc = run.final_loss = run.seconds = nan;
    run.val_loss = nan;
    run.best_epoch = 0;
  }
  // A run not started yet has no folder; one that is running or was
  // interrupted has a history without metrics.
  if (run.status == RunStatus::Pending && !file_exists(history)) return;
  read_history(run, folder);
}

// The finished *.json files of a folder, by name; a missing folder has none.
// Temporary files of a write in progress end in .tmp and are left out.
std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json" && file_exists(entry.path())) {
      files.push_back(entry.path());
    }
  }
  if (error) throw IoError("cannot list '" + dir.string() + "': " + error.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

FolderLrFind read_lr_find(const fs::path& path) {
  const json range_test = read_json_file(path);
  const std::string where = path.string();
  FolderLrFind result;
  result.optimizer = json_text(range_test, "optimizer", where);
  result.lr = json_numbers(range_test, "lr", where);
  result.loss = json_numbers(range_test, "loss", where);
  result.smoothed = json_numbers(range_test, "smoothed", where);
  if (result.loss.size() != result.lr.size() || result.smoothed.size() != result.lr.size()) {
    throw FormatError(where + ": fields 'lr', 'loss' and 'smoothed' differ in length (" +
                      std::to_string(result.lr.size()) + ", " + std::to_string(result.loss.size()) +
                      ", " + std::to_string(result.smoothed.size()) + ")");
  }
  result.suggested_lr = json_number_or_null(range_test, "suggested_lr", where);
  result.min_loss_lr = json_number_or_null(range_test, "min_loss_lr", where);
  return result;
}

const FolderRun& SweepFolder::run(const std::string& run_name) const {
  const auto it = std::find_if(runs.begin(), runs.end(),
                               [&](const FolderRun& r) { return r.name == run_name; });
  if (it == runs.end()) {
    throw FormatError((dir / "summary.json").string() + ": no row for run '" + run_name + "'");
  }
  return *it;
}

namespace {

// Whether the base config's network has classes: its loss, or that of the
// problem it names.
bool has_classes(const json& experiment) {
  if (!experiment.contains("base") || !experiment.at("base").is_object()) return true;
  const json& base = experiment.at("base");
  if (base.contains("loss") && base.at("loss").is_string()) {
    return base.at("loss").get<std::string>() == to_string(LossKind::softmax);
  }
  if (base.contains("problem") && base.at("problem").is_string()) {
    const std::string name = base.at("problem").get<std::string>();
    for (const Problem& problem : problems()) {
      if (problem.name == name) return problem.network.loss == LossKind::softmax;
    }
  }
  return true;
}

}  // namespace

SweepFolder read_sweep_folder(const fs::path& dir) {
  SweepFolder sweep;
  sweep.dir = dir;
  const fs::path experiment_path = dir / "experiment.json";
  const json experiment = read_json_file(experiment_path);
  sweep.name = json_text(experiment, "name", experiment_path.string());
  sweep.title = json_text(experiment, "title", experiment_path.string());
  sweep.groups = read_groups(experiment, experiment_path.string());
  sweep.classes = has_classes(experiment);

  const fs::path summary_path = dir / "summary.json";
  const json summary = read_json_file(summary_path);
  if (!summary.is_array()) {
    throw FormatError(summary_path.string() + ": expected an array of rows, found " +
                      summary.type_name());
  }
  for (std::size_t i = 0; i < summary.size(); ++i) {
    const std::string where = summary_path.string() + ", row " + std::to_string(i + 1);
    FolderRun run = read_summary_row(summary[i], where);
    read_run_folder(run, dir / "runs" / run.name);
    sweep.runs.push_back(std::move(run));
  }
  for (const FolderGroup& group : sweep.groups) {
    for (const std::string& run : group.runs) {
      const bool listed = std::any_of(sweep.runs.begin(), sweep.runs.end(),
                                      [&](const FolderRun& r) { return r.name == run; });
      if (!listed) {
        throw FormatError(experiment_path.string() + ": group '" + group.name + "' lists run '" +
                          run + "', which summary.json has no row for");
      }
    }
  }

  for (const fs::path& path : json_files(dir / "lr-find")) {
    sweep.lr_finds.push_back(read_lr_find(path));
  }
  for (const fs::path& path : json_files(dir / "paths")) {
    sweep.paths.push_back(paths_from_json(read_json_file(path), path.string()));
  }
  return sweep;
}

std::vector<std::filesystem::path> best_run_of_each_optimizer(const SweepFolder& sweep) {
  std::vector<std::string> order;
  std::map<std::string, const FolderRun*> best;
  for (const FolderRun& run : sweep.runs) {
    if (run.status != RunStatus::Finished) continue;
    const auto it = best.find(run.optimizer);
    if (it == best.end()) {
      order.push_back(run.optimizer);
      best[run.optimizer] = &run;
    } else if (sweep.score(run) > sweep.score(*it->second)) {
      it->second = &run;
    }
  }
  if (order.empty()) {
    throw ConfigError("from-compare: '" + sweep.dir.string() + "' has no finished run");
  }
  std::vector<std::filesystem::path> folders;
  for (const std::string& name : order) folders.push_back(sweep.dir / "runs" / best.at(name)->name);
  return folders;
}

}  // namespace descent

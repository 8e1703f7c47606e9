#include "descent/experiment/sweep_folder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "descent/core/text.hpp"

namespace descent {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool file_exists(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

// `where` names the file and the object in it: "DIR/summary.json, row 2".
const json& field(const json& object, const char* key, const std::string& where) {
  if (!object.is_object()) {
    throw FormatError(where + ": expected an object, found " + object.type_name());
  }
  const auto it = object.find(key);
  if (it == object.end()) throw FormatError(where + ": field '" + key + "' is missing");
  return *it;
}

[[noreturn]] void wrong_type(const json& value, const char* key, const std::string& where,
                             const char* expected) {
  throw FormatError(where + ": field '" + key + "': expected " + expected + ", found " +
                    value.type_name());
}

std::string text_field(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_string()) wrong_type(value, key, where, "a string");
  return value.get<std::string>();
}

double number_field(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_number()) wrong_type(value, key, where, "a number");
  return value.get<double>();
}

// A number the writer may have had as NaN or infinite, which JSON holds as null.
double number_or_null(const json& value, const char* key, const std::string& where) {
  if (value.is_null()) return nan;
  if (!value.is_number()) wrong_type(value, key, where, "a number or null");
  return value.get<double>();
}

double number_or_null_field(const json& object, const char* key, const std::string& where) {
  return number_or_null(field(object, key, where), key, where);
}

std::size_t count_field(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_number_unsigned()) wrong_type(value, key, where, "a whole number >= 0");
  return value.get<std::size_t>();
}

std::vector<double> number_array(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_array()) wrong_type(value, key, where, "an array of numbers");
  std::vector<double> numbers;
  numbers.reserve(value.size());
  for (const json& element : value) numbers.push_back(number_or_null(element, key, where));
  return numbers;
}

const json& array_field(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_array()) wrong_type(value, key, where, "an array");
  return value;
}

// summary.json and metrics.json write the trainer's statuses; an interrupted
// run is one the sweep has still to finish.
FolderRunStatus parse_status(const std::string& status, const std::string& where) {
  if (status == "finished") return FolderRunStatus::finished;
  if (status == "diverged") return FolderRunStatus::diverged;
  if (status == "pending" || status == "interrupted") return FolderRunStatus::pending;
  throw FormatError(where + ": field 'status': expected finished, diverged or pending, found '" +
                    status + "'");
}

std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return shortest(value.get<double>());
  return value.dump();
}

std::vector<FolderGroup> read_groups(const json& experiment, const std::string& source) {
  std::vector<FolderGroup> groups;
  const json& list = array_field(experiment, "groups", source);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = source + ", group " + std::to_string(i + 1);
    FolderGroup group;
    group.name = text_field(list[i], "name", where);
    group.title = text_field(list[i], "title", where);
    const std::string kind = text_field(list[i], "kind", where);
    try {
      group.kind = parse_group_kind(kind);
    } catch (const ConfigError&) {
      throw FormatError(where + ": field 'kind': expected curves, lr-sweep or decay, found '" +
                        kind + "'");
    }
    for (const json& run : array_field(list[i], "runs", where)) {
      if (!run.is_string()) wrong_type(run, "runs", where, "an array of run names");
      group.runs.push_back(run.get<std::string>());
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

FolderRun read_summary_row(const json& row, const std::string& where) {
  FolderRun run;
  run.name = text_field(row, "run", where);
  if (run.name.empty() || run.name == "." || run.name == ".." ||
      run.name.find('/') != std::string::npos) {
    throw FormatError(where + ": field 'run': '" + run.name + "' is not a folder name");
  }
  run.optimizer = text_field(row, "optimizer", where);
  run.lr = number_field(row, "lr", where);
  run.schedule = text_field(row, "schedule", where);
  run.seed = static_cast<std::uint64_t>(count_field(row, "seed", where));
  const json& hyperparameters = field(row, "hyperparameters", where);
  if (!hyperparameters.is_object()) {
    wrong_type(hyperparameters, "hyperparameters", where, "an object");
  }
  for (const auto& [name, value] : hyperparameters.items()) {
    run.hyperparameters.emplace_back(name, value_text(value));
  }
  run.status = parse_status(text_field(row, "status", where), where);
  run.train_acc = number_or_null_field(row, "train_acc", where);
  run.val_acc = number_or_null_field(row, "val_acc", where);
  run.test_acc = number_or_null_field(row, "test_acc", where);
  run.best_epoch = count_field(row, "best_epoch", where);
  run.final_loss = number_or_null_field(row, "final_loss", where);
  run.seconds = number_or_null_field(row, "seconds", where);
  return run;
}

// metrics.json is the run's own account, written when it ends; the sweep
// copies it into summary.json after, so the run's is the newer of the two.
void read_metrics(FolderRun& run, const fs::path& path) {
  const json metrics = read_json_file(path);
  const std::string where = path.string();
  run.status = parse_status(text_field(metrics, "status", where), where);
  run.message = text_field(metrics, "message", where);
  run.best_epoch = count_field(metrics, "best_epoch", where);
  run.train_acc = number_or_null_field(metrics, "final_train_acc", where);
  run.val_acc = number_or_null_field(metrics, "final_val_acc", where);
  run.test_acc = number_or_null_field(metrics, "test_acc", where);
  run.final_loss = number_or_null_field(metrics, "final_loss", where);
  run.seconds = number_or_null_field(metrics, "seconds", where);
}

void read_history(FolderRun& run, const fs::path& path) {
  const json history = read_json_file(path);
  const std::string where = path.string();
  run.loss = number_array(history, "loss", where);
  if (history.contains("passes")) {
    run.passes = number_array(history, "passes", where);
    if (run.passes.size() != run.loss.size()) {
      throw FormatError(where + ": " + std::to_string(run.passes.size()) + " passes for " +
                        std::to_string(run.loss.size()) + " losses");
    }
  }
  const json& epochs = array_field(history, "epochs", where);
  for (std::size_t i = 0; i < epochs.size(); ++i) {
    const std::string at = where + ", epoch " + std::to_string(i + 1);
    EpochRecord record;
    record.epoch = count_field(epochs[i], "epoch", at);
    record.iteration = count_field(epochs[i], "iteration", at);
    record.learning_rate = number_or_null_field(epochs[i], "lr", at);
    record.train_loss = number_or_null_field(epochs[i], "train_loss", at);
    record.train_accuracy = number_or_null_field(epochs[i], "train_acc", at);
    record.val_loss = number_or_null_field(epochs[i], "val_loss", at);
    record.val_accuracy = number_or_null_field(epochs[i], "val_acc", at);
    record.seconds = number_or_null_field(epochs[i], "seconds", at);
    run.epochs.push_back(record);
  }
}

void read_run_folder(FolderRun& run, const fs::path& run_dir) {
  const fs::path metrics = run_dir / "metrics.json";
  const fs::path history = run_dir / "history.json";
  if (file_exists(metrics)) {
    read_metrics(run, metrics);
  } else if (run.status != FolderRunStatus::pending) {
    throw IoError(metrics.string() + ": missing, but summary.json says the run " +
                  to_string(run.status));
  } else {
    // The summary's zeros of a run that has not ended are no results.
    run.train_acc = run.val_acc = run.test_acc = run.final_loss = run.seconds = nan;
    run.best_epoch = 0;
  }
  // A run not started yet has no folder; one that is running or was
  // interrupted has a history without metrics.
  if (run.status == FolderRunStatus::pending && !file_exists(history)) return;
  read_history(run, history);
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
  result.optimizer = text_field(range_test, "optimizer", where);
  result.lr = number_array(range_test, "lr", where);
  result.loss = number_array(range_test, "loss", where);
  result.smoothed = number_array(range_test, "smoothed", where);
  if (result.loss.size() != result.lr.size() || result.smoothed.size() != result.lr.size()) {
    throw FormatError(where + ": fields 'lr', 'loss' and 'smoothed' differ in length (" +
                      std::to_string(result.lr.size()) + ", " + std::to_string(result.loss.size()) +
                      ", " + std::to_string(result.smoothed.size()) + ")");
  }
  result.suggested_lr = number_or_null_field(range_test, "suggested_lr", where);
  result.min_loss_lr = number_or_null_field(range_test, "min_loss_lr", where);
  return result;
}

std::string to_string(FolderRunStatus status) {
  switch (status) {
    case FolderRunStatus::finished:
      return "finished";
    case FolderRunStatus::diverged:
      return "diverged";
    case FolderRunStatus::pending:
      return "pending";
  }
  return "unknown";
}

const FolderRun& SweepFolder::run(const std::string& run_name) const {
  const auto it = std::find_if(runs.begin(), runs.end(),
                               [&](const FolderRun& r) { return r.name == run_name; });
  if (it == runs.end()) {
    throw FormatError((dir / "summary.json").string() + ": no row for run '" + run_name + "'");
  }
  return *it;
}

SweepFolder read_sweep_folder(const fs::path& dir) {
  SweepFolder sweep;
  sweep.dir = dir;
  const fs::path experiment_path = dir / "experiment.json";
  const json experiment = read_json_file(experiment_path);
  sweep.name = text_field(experiment, "name", experiment_path.string());
  sweep.title = text_field(experiment, "title", experiment_path.string());
  sweep.groups = read_groups(experiment, experiment_path.string());

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

}  // namespace descent

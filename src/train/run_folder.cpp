#include "descent/train/run_folder.hpp"

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "descent/train/checkpoint.hpp"
#include "descent/train/config.hpp"
#include "descent/train/model_file.hpp"

namespace descent {

namespace {

bool file_exists(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

EpochRecord epoch_from_json(const nlohmann::json& row, const std::string& where) {
  EpochRecord record;
  record.epoch = json_count(row, "epoch", where);
  record.iteration = json_count(row, "iteration", where);
  record.learning_rate = json_number_or_null(row, "lr", where);
  record.train_loss = json_number_or_null(row, "train_loss", where);
  record.train_accuracy = json_number_or_null(row, "train_acc", where);
  record.val_loss = json_number_or_null(row, "val_loss", where);
  record.val_accuracy = json_number_or_null(row, "val_acc", where);
  record.seconds = json_number_or_null(row, "seconds", where);
  // Folders written before training time was measured have none.
  if (row.contains("train_seconds")) {
    record.train_seconds = json_number_or_null(row, "train_seconds", where);
  }
  if (row.contains("avg_val_loss")) {
    record.avg_val_loss = json_number_or_null(row, "avg_val_loss", where);
    record.avg_val_accuracy = json_number_or_null(row, "avg_val_acc", where);
  }
  return record;
}

}  // namespace

void RunFolder::write_config(const TrainConfig& config) const {
  if (empty()) return;
  std::filesystem::create_directories(dir_);
  write_file_atomic(file("config.json"), to_json(config).dump(2) + "\n");
}

void RunFolder::write_checkpoint(std::string_view payload) const {
  if (empty()) return;
  descent::write_checkpoint(file("checkpoint.bin"), payload);
}

bool RunFolder::has_checkpoint() const { return !empty() && file_exists(file("checkpoint.bin")); }

std::string RunFolder::read_checkpoint() const {
  if (!has_checkpoint()) {
    throw IoError("cannot open '" + file("checkpoint.bin").string() +
                  "': the run has no checkpoint yet");
  }
  return descent::read_checkpoint(file("checkpoint.bin"));
}

void RunFolder::write_history(const History& history) const {
  if (empty()) return;
  write_file_atomic(file("history.csv"), epochs_csv(history));
  write_file_atomic(file("loss.csv"), loss_csv(history));
  write_file_atomic(file("history.json"), to_json(history).dump() + "\n");
}

History RunFolder::read_history() const {
  const std::filesystem::path path = file("history.json");
  const nlohmann::json json = read_json_file(path);
  const std::string where = path.string();
  History history;
  for (const double loss : json_numbers(json, "loss", where)) {
    history.loss.push_back(static_cast<float>(loss));
  }
  if (json.contains("lr")) {
    for (const double lr : json_numbers(json, "lr", where)) {
      history.learning_rate.push_back(static_cast<float>(lr));
    }
  }
  // Folders written before passes were recorded have none.
  if (json.contains("passes")) {
    history.passes = json_numbers(json, "passes", where);
    if (history.passes.size() != history.loss.size()) {
      throw FormatError(where + ": " + std::to_string(history.passes.size()) + " passes for " +
                        std::to_string(history.loss.size()) + " losses");
    }
  }
  const nlohmann::json& epochs = json_field(json, "epochs", where);
  if (!epochs.is_array()) json_wrong_type(epochs, "epochs", where, "an array");
  for (std::size_t i = 0; i < epochs.size(); ++i) {
    history.epochs.push_back(epoch_from_json(epochs[i], where + ", epoch " + std::to_string(i + 1)));
    history.averaged = history.averaged || epochs[i].contains("avg_val_loss");
  }
  return history;
}

void RunFolder::write_model(const Network& network, std::string_view name) const {
  if (empty()) return;
  save_model(file(name), network);
}

void RunFolder::write_result(const TrainResult& result) const {
  if (empty()) return;
  write_file_atomic(file("metrics.json"), to_json(result).dump(2) + "\n");
}

std::optional<TrainResult> RunFolder::read_result() const {
  if (empty() || !file_exists(file("metrics.json"))) return std::nullopt;
  return read_run_result(file("metrics.json"));
}

}  // namespace descent

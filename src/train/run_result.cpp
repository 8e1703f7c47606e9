#include "descent/train/run_result.hpp"

#include <limits>

#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"

namespace descent {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The keys to_json writes from TrainResult's own fields.
constexpr const char* kOwnKeys[] = {
    "status",      "message",           "iterations",      "epochs",
    "best_epoch",  "best_val_acc",      "final_train_acc", "final_val_acc",
    "test_acc",    "test_loss",         "final_loss",      "passes",
    "seconds",     "final_gradient_norm", "averaged_model", "averaged_test_acc",
    "averaged_test_loss", "final_val_loss"};

bool own_key(const std::string& key) {
  for (const char* own : kOwnKeys) {
    if (key == own) return true;
  }
  return false;
}

double number_or_nan(const nlohmann::json& object, const char* key, const std::string& where) {
  return object.contains(key) ? json_number_or_null(object, key, where) : nan;
}

std::size_t count_or_zero(const nlohmann::json& object, const char* key, const std::string& where) {
  return object.contains(key) ? json_count(object, key, where) : 0;
}

}  // namespace

std::string to_string(RunStatus status) {
  switch (status) {
    case RunStatus::Pending:
      return "pending";
    case RunStatus::Finished:
      return "finished";
    case RunStatus::Diverged:
      return "diverged";
    case RunStatus::Interrupted:
      return "interrupted";
  }
  return "unknown";
}

RunStatus parse_run_status(const std::string& text, const std::string& where) {
  for (const RunStatus status :
       {RunStatus::Pending, RunStatus::Finished, RunStatus::Diverged, RunStatus::Interrupted}) {
    if (text == to_string(status)) return status;
  }
  throw FormatError(where + ": field 'status': expected finished, diverged, pending or "
                    "interrupted, found '" + text + "'");
}

nlohmann::json to_json(const TrainResult& result) {
  nlohmann::json json = {
      {"status", to_string(result.status)},
      {"message", result.message},
      {"iterations", result.iterations},
      {"epochs", result.epochs},
      {"best_epoch", result.best_epoch},
      {"best_val_acc", result.best_val_accuracy},
      {"final_train_acc", result.final_train_accuracy},
      {"final_val_acc", result.final_val_accuracy},
      {"final_val_loss", result.final_val_loss},
      {"test_acc", result.test_accuracy},
      {"test_loss", result.test_loss},
      {"final_loss", result.final_loss},
      {"passes", result.passes},
      {"seconds", result.seconds},
  };
  if (result.final_gradient_norm) json["final_gradient_norm"] = *result.final_gradient_norm;
  if (result.averaged_test) {
    json["averaged_model"] = result.averaged_model;
    json["averaged_test_acc"] = result.averaged_test->accuracy;
    json["averaged_test_loss"] = result.averaged_test->loss;
  }
  for (const auto& [key, value] : result.details.items()) json[key] = value;
  return json;
}

TrainResult read_run_result(const std::filesystem::path& metrics_file) {
  const nlohmann::json json = read_json_file(metrics_file);
  const std::string where = metrics_file.string();
  TrainResult r;
  r.status = parse_run_status(json_text(json, "status", where), where);
  r.message = json_text(json, "message", where);
  r.iterations = count_or_zero(json, "iterations", where);
  r.epochs = count_or_zero(json, "epochs", where);
  r.best_epoch = count_or_zero(json, "best_epoch", where);
  r.best_val_accuracy = number_or_nan(json, "best_val_acc", where);
  r.final_train_accuracy = number_or_nan(json, "final_train_acc", where);
  r.final_val_accuracy = number_or_nan(json, "final_val_acc", where);
  r.final_val_loss = number_or_nan(json, "final_val_loss", where);
  r.test_accuracy = number_or_nan(json, "test_acc", where);
  r.test_loss = number_or_nan(json, "test_loss", where);
  r.final_loss = number_or_nan(json, "final_loss", where);
  r.passes = number_or_nan(json, "passes", where);
  r.seconds = number_or_nan(json, "seconds", where);
  if (json.contains("final_gradient_norm")) {
    r.final_gradient_norm = json_number_or_null(json, "final_gradient_norm", where);
  }
  if (json.contains("averaged_model")) {
    r.averaged_model = json_text(json, "averaged_model", where);
    r.averaged_test = Network::Evaluation{number_or_nan(json, "averaged_test_loss", where),
                                 number_or_nan(json, "averaged_test_acc", where)};
  }
  for (const auto& [key, value] : json.items()) {
    if (!own_key(key)) r.details[key] = value;
  }
  return r;
}

}  // namespace descent

// How a run ended: its status and results, as metrics.json holds them.
//
// metrics.json (written by RunFolder, read by read_run_result) has the keys
//   status, message, iterations, epochs, best_epoch, best_val_acc,
//   final_train_acc, final_val_acc, test_acc, test_loss, final_loss, passes,
//   seconds
// and, where a run has them, final_gradient_norm (lbfgs, cg), averaged_model,
// averaged_test_acc, averaged_test_loss (weight averaging), and the fields of
// `details` (what one kind of run adds: Downpour's staleness, a snapshot's
// number). A number that was NaN or infinite is null.
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "descent/nn/network.hpp"

namespace descent {

enum class RunStatus {
  Pending,      // not started, or started and not ended: a resume finishes it
  Finished,     // every epoch done
  Diverged,     // the loss became NaN or infinite, or grew past the config's
                // diverge_factor; the run stopped there
  Interrupted,  // a callback asked to stop; the checkpoint allows a resume
};
// "pending", "finished", "diverged", "interrupted".
std::string to_string(RunStatus status);
// The inverse; FormatError naming `where` for any other text.
RunStatus parse_run_status(const std::string& text, const std::string& where);
// Finished or diverged: nothing is left to train.
inline bool has_ended(RunStatus status) {
  return status == RunStatus::Finished || status == RunStatus::Diverged;
}

struct TrainResult {
  RunStatus status = RunStatus::Finished;
  std::string message;  // why it stopped, for Diverged and Interrupted
  std::size_t iterations = 0;
  std::size_t epochs = 0;      // epochs recorded
  std::size_t best_epoch = 0;  // 1-based; 0 if no epoch finished
  double best_val_accuracy = 0;
  double final_train_accuracy = 0;
  double final_val_accuracy = 0;
  double final_val_loss = 0;  // NaN in metrics.json written before it was recorded
  double test_accuracy = 0;  // of the best parameters
  double test_loss = 0;
  double final_loss = 0;  // the last iteration's
  double passes = 0;      // gradient evaluations over the training set's size
  double seconds = 0;
  // lbfgs, cg: ||g|| of the last iterate on its batch.
  std::optional<double> final_gradient_norm;
  // The averaged weights on the test set, for a finished run that averages,
  // and their file in the run folder ("model_ema.bin", "model_swa.bin").
  std::optional<Network::Evaluation> averaged_test;
  std::string averaged_model;
  // Fields of one kind of run, written beside the others.
  nlohmann::json details = nlohmann::json::object();
};

// A run that has not ended: status Pending, no results.
inline TrainResult pending_result() {
  TrainResult result;
  result.status = RunStatus::Pending;
  return result;
}

nlohmann::json to_json(const TrainResult& result);
// metrics.json read back: status and message must be there; a number that is
// null or absent is NaN; keys it does not know go to details. FormatError
// naming the file and field for a wrong type.
TrainResult read_run_result(const std::filesystem::path& metrics_file);

}  // namespace descent

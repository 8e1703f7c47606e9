// The files of one run, and the one place that writes and reads them:
//   config.json     the settings (TrainConfig under the flags' names), which
//                   `descent train --config` and `--resume` take back
//   checkpoint.bin  the latest checkpoint (checkpoint.hpp)
//   history.json    the history (history.hpp): every iteration's loss, rate
//   history.csv     and passes, every epoch's record; rewritten after each
//   loss.csv        epoch
//   metrics.json    how the run ended (run_result.hpp), written when it ends
//   model.bin       the best parameters (model_file.hpp); model_ema.bin or
//                   model_swa.bin, the averaged weights
//   snapshots/<k>/  the members of a snapshot ensemble (snapshot.hpp), each
//                   a folder with model.bin and metrics.json
// Every file is written atomically. A RunFolder with no path writes nothing,
// for runs that keep no files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "descent/nn/network.hpp"
#include "descent/train/history.hpp"
#include "descent/train/run_result.hpp"

namespace descent {

struct TrainConfig;

class RunFolder {
 public:
  RunFolder() = default;
  explicit RunFolder(std::filesystem::path dir) : dir_(std::move(dir)) {}

  bool empty() const { return dir_.empty(); }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path file(std::string_view name) const { return dir_ / name; }

  // Creates the folder and writes config.json.
  void write_config(const TrainConfig& config) const;

  void write_checkpoint(std::string_view payload) const;
  bool has_checkpoint() const;
  // The checkpoint's payload; IoError if the run has none yet, FormatError if
  // it is corrupt.
  std::string read_checkpoint() const;

  void write_history(const History& history) const;
  // history.json read back; IoError if missing, FormatError naming the field.
  History read_history() const;

  // model.bin, or another model file of the run.
  void write_model(const Network& network, std::string_view name = "model.bin") const;

  void write_result(const TrainResult& result) const;
  // metrics.json read back; nothing if the run has not ended.
  std::optional<TrainResult> read_result() const;

 private:
  std::filesystem::path dir_;
};

}  // namespace descent

// A sweep folder read back (docs/compare-folder.md): experiment.json's groups,
// summary.json's rows, each run's history.json and metrics.json, the lr-find
// range tests and the optimizer paths. The report is drawn from this alone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "descent/experiment/experiment.hpp"
#include "descent/experiment/optimizer_paths.hpp"
#include "descent/experiment/time_to_target.hpp"
#include "descent/train/history.hpp"
#include "descent/train/run_result.hpp"

namespace descent {

struct FolderGroup {
  std::string name;
  std::string title;
  GroupKind kind = GroupKind::curves;
  std::vector<std::string> runs;  // run names, in experiment.json's order
  std::size_t study = 0;          // j > 0: study j of a tuning protocol
};

struct FolderRun {
  std::string name;  // folder name under runs/
  std::string optimizer;
  double lr = 0;
  std::string schedule;
  std::uint64_t seed = 0;
  // The optimizer options that were set, by flag name, values as written.
  std::vector<std::pair<std::string, std::string>> hyperparameters;
  // Finished, Diverged, or Pending: interrupted or not run yet; a resumed
  // sweep finishes it.
  RunStatus status = RunStatus::Pending;
  std::string message;  // metrics.json's: why a run stopped
  // Final accuracies and loss; NaN where the run has none (pending).
  double train_acc = 0;
  double val_acc = 0;
  double test_acc = 0;
  double val_loss = 0;  // final; NaN in folders written before it was recorded
  std::size_t best_epoch = 0;
  double final_loss = 0;
  double seconds = 0;
  // summary.json's time to target ("val_acc=0.88"); the target empty and the
  // times never in folders written before it was recorded.
  std::string target;
  TimeToTarget to_target;
  // history.json; empty while the run has none. NaN where the loss was not
  // finite (JSON has no NaN: the files hold null there).
  std::vector<double> loss;  // per iteration
  // Passes over the training data (gradient evaluations / n) done by the end
  // of each iteration; empty in folders written before it was recorded.
  std::vector<double> passes;
  std::vector<EpochRecord> epochs;
};

// lr-find/<optimizer>.json: loss against a learning rate that grows each step.
struct FolderLrFind {
  std::string optimizer;
  std::vector<double> lr;
  std::vector<double> loss;      // NaN where not finite
  std::vector<double> smoothed;  // same length as lr
  double suggested_lr = 0;
  double min_loss_lr = 0;
};

struct SweepFolder {
  std::filesystem::path dir;
  std::string name;
  std::string title;
  std::vector<FolderGroup> groups;
  std::vector<FolderRun> runs;         // summary.json's order
  // False for a network without classes (the noisy quadratic, whose accuracy
  // is 0): its runs rank by final validation loss instead of accuracy.
  bool classes = true;
  std::vector<FolderLrFind> lr_finds;  // by file name
  std::vector<OptimizerPaths> paths;   // by file name

  // The run of that name; FormatError if the sweep has none.
  const FolderRun& run(const std::string& name) const;
  // How a finished run ranks: its final validation accuracy, or minus its
  // final validation loss without classes; higher is better either way.
  double score(const FolderRun& run) const { return classes ? run.val_acc : -run.val_loss; }
};

// Reads a sweep folder. IoError naming the file if a required file is missing
// or unreadable (experiment.json, summary.json, and history.json and
// metrics.json of every run that is not pending); FormatError naming the file
// and field if a file does not follow the format.
SweepFolder read_sweep_folder(const std::filesystem::path& dir);

// Reads one lr-find/<optimizer>.json (also what `descent lr-find` writes as
// lr_find.json); FormatError naming the file and field.
FolderLrFind read_lr_find(const std::filesystem::path& path);

// The folder of each optimizer's best run: its finished run of the highest
// score (the first of equals), in the order the
// optimizers first appear. ConfigError if no run finished.
std::vector<std::filesystem::path> best_run_of_each_optimizer(const SweepFolder& sweep);

}  // namespace descent

#include "descent/train/snapshot.hpp"

#include <limits>
#include <string>

#include "descent/core/error.hpp"
#include "descent/train/run_folder.hpp"

namespace descent {

SnapshotPlan::SnapshotPlan(std::size_t snapshots, std::size_t iterations)
    : snapshots_(snapshots),
      iterations_(iterations),
      cycle_length_(snapshots == 0 ? 0 : (iterations + snapshots - 1) / snapshots) {
  if (snapshots_ == 0) throw ConfigError("snapshots: expected at least 1, got 0");
  if (cycle_length_ == 0 || (snapshots_ - 1) * cycle_length_ >= iterations_) {
    throw ConfigError("snapshots: " + std::to_string(snapshots_) + " cycles of ceil(" +
                      std::to_string(iterations_) + " / " + std::to_string(snapshots_) +
                      ") iterations do not fit the run's " + std::to_string(iterations_) +
                      " iterations; take fewer snapshots or more epochs");
  }
}

ScheduleConfig SnapshotPlan::schedule() const {
  ScheduleConfig schedule;
  schedule.kind = ScheduleKind::cosine;
  schedule.restarts = true;
  schedule.period = cycle_length_;
  schedule.period_mult = 1;
  schedule.min_lr = 0;
  return schedule;
}

std::optional<std::size_t> SnapshotPlan::cycle_ending_at(std::size_t iteration) const {
  if (iteration == iterations_) return snapshots_;
  if (iteration == 0 || iteration > iterations_ || iteration % cycle_length_ != 0) {
    return std::nullopt;
  }
  return iteration / cycle_length_;
}

std::filesystem::path snapshot_folder(const std::filesystem::path& run_dir, std::size_t k) {
  return run_dir / "snapshots" / std::to_string(k);
}

std::vector<std::filesystem::path> snapshot_folders(const std::filesystem::path& run_dir,
                                                    std::size_t snapshots) {
  std::vector<std::filesystem::path> folders;
  for (std::size_t k = 1; k <= snapshots; ++k) folders.push_back(snapshot_folder(run_dir, k));
  return folders;
}

void save_snapshot(const std::filesystem::path& run_dir, std::size_t k, std::size_t iteration,
                   const Network& network) {
  const RunFolder folder(snapshot_folder(run_dir, k));
  std::filesystem::create_directories(folder.dir());
  folder.write_model(network);
  // A snapshot has no evaluations of its own: those numbers are NaN (null).
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  TrainResult result;
  result.iterations = iteration;
  result.best_val_accuracy = result.final_train_accuracy = result.final_val_accuracy = none;
  result.final_val_loss = none;
  result.test_accuracy = result.test_loss = result.final_loss = result.passes = none;
  result.seconds = none;
  result.details = {{"snapshot", k}, {"iteration", iteration}};
  folder.write_result(result);
}

}  // namespace descent

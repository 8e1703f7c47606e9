// Snapshot ensembles (Huang et al. 2017, "Snapshot Ensembles: Train 1, get M
// for free"): one run of T iterations under a cyclic cosine schedule of M
// cycles, eq. 2 with t counted from 1,
//   lr(t) = lr0 / 2 * (cos(pi * mod(t - 1, ceil(T / M)) / ceil(T / M)) + 1),
// and a snapshot of the weights at the end of each cycle. That is descent's
// cosine schedule with restarts, period ceil(T / M), period_mult 1 and min_lr 0,
// whose t counts from 0. When M does not divide T the last cycle is the
// shorter one; its snapshot is taken after the run's last iteration.
//
// Snapshot k (1-based) is a run-like folder RUN/snapshots/<k>/ holding
// model.bin and a metrics.json {"status": "finished", "iteration": ...}, so
// that an ensemble can load the snapshots as it loads run folders.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

#include "descent/nn/network.hpp"
#include "descent/optim/schedule.hpp"

namespace descent {

class SnapshotPlan {
 public:
  // M = `snapshots` cycles over a run of `iterations` updates. ConfigError
  // naming --snapshots if M is 0 or if ceil(T / M)-long cycles cover the run
  // in fewer than M cycles.
  SnapshotPlan(std::size_t snapshots, std::size_t iterations);

  std::size_t snapshots() const { return snapshots_; }
  // ceil(T / M) updates.
  std::size_t cycle_length() const { return cycle_length_; }
  // Eq. 2 as a ScheduleConfig (cosine with restarts).
  ScheduleConfig schedule() const;
  // k (1-based) if the update numbered `iteration` (1-based) ends cycle k.
  std::optional<std::size_t> cycle_ending_at(std::size_t iteration) const;

 private:
  std::size_t snapshots_;
  std::size_t iterations_;
  std::size_t cycle_length_;
};

// RUN/snapshots/<k>.
std::filesystem::path snapshot_folder(const std::filesystem::path& run_dir, std::size_t k);
// The folders of snapshots 1 .. M.
std::vector<std::filesystem::path> snapshot_folders(const std::filesystem::path& run_dir,
                                                    std::size_t snapshots);
// Writes snapshot k of `network`, taken after update `iteration` (atomically,
// file by file; metrics.json last, so a folder with it is complete).
void save_snapshot(const std::filesystem::path& run_dir, std::size_t k, std::size_t iteration,
                   const Network& network);

}  // namespace descent

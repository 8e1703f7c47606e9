// A small sweep folder written file by file in the format of
// docs/compare-folder.md, for the tests of the report and its readers.
#pragma once

#include <filesystem>
#include <string>

namespace descent::testing {

// The fabricated sweep's runs. Finished runs train for 5 epochs of 300
// iterations; the diverged one stops at iteration 450 with a NaN loss
// (null in history.json); the pending one has no folder.
struct FabricatedRuns {
  static constexpr const char* sgd = "sgd-lr1e-2-constant-s0";            // val acc 0.80
  static constexpr const char* momentum = "momentum-lr1e-2-constant-s0";  // 0.85
  static constexpr const char* sgd_low = "sgd-lr1e-3-constant-s0";        // 0.60
  static constexpr const char* sgd_high = "sgd-lr1e-1-constant-s0";       // 0.70
  static constexpr const char* adam = "adam-lr1e-3-constant-s0";          // 0.88
  static constexpr const char* adam_high = "adam-lr1e-2-constant-s0";     // 0.83
  static constexpr const char* adam_diverged = "adam-lr1e-1-constant-s0";
  static constexpr const char* adam_pending = "adam-lr1e-4-constant-s0";
  static constexpr const char* sgd_step = "sgd-lr1e-2-step-s0";    // 0.82
  static constexpr const char* adam_step = "adam-lr1e-3-step-s0";  // 0.89
};

inline constexpr std::size_t fabricated_iterations = 1500;

// Writes the sweep into `dir` (created if needed): experiment.json with the
// groups "sgd-vs-momentum" (curves: sgd, momentum), "lr-sweep" (lr-sweep: the
// three sgd and four adam constant runs) and "decay" (decay: sgd, sgd_step,
// adam, adam_step); summary.json and summary.csv; each run's history.json and
// metrics.json; lr-find/adam.json (suggested lr 1.2e-3); and
// paths/rosenbrock.json with two paths. `title` goes into experiment.json
// and into the title of the first group.
void write_fabricated_sweep(const std::filesystem::path& dir, const std::string& name = "fixture",
                            const std::string& title = "A fabricated sweep");

// The number of charts of one fabricated sweep: 3 for the curves group, 5
// for the lr sweep (the curves, accuracy and passes to target against the
// rate), 3 for each of the decay group's two optimizers, and 1 for lr-find.
inline constexpr std::size_t fabricated_chart_count = 3 + 5 + 6 + 1;
// The canvases of a report page: the charts of each sweep and the
// performance profile over them.
inline constexpr std::size_t page_canvases(std::size_t sweeps) {
  return sweeps * fabricated_chart_count + 1;
}

}  // namespace descent::testing

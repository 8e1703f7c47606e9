// The summary table of a sweep: one row per run, written as summary.json and
// summary.csv (columns in docs/compare-folder.md).
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "descent/experiment/sweep.hpp"

namespace descent {

nlohmann::json summary_row(const RunRecord& run);
// The rows as CSV, hyperparameters as name=value pairs joined by ';'.
std::string summary_csv(const std::vector<RunRecord>& runs);
// Writes out_dir/summary.json and out_dir/summary.csv atomically.
void write_summary(const std::filesystem::path& out_dir, const std::vector<RunRecord>& runs);

}  // namespace descent

// metrics.csv: every run of a sweep in one long-format table, one row per
// run, step and metric, for pandas, R or a spreadsheet:
//   run,step,epoch,wall_time,metric,value
//   sgd-lr0.1-s0,1,1,,loss,2.3021
//   sgd-lr0.1-s0,50,1,3.25,val_acc,0.412
// The rows of a run are its history_scalars (history_scalars.hpp); wall_time
// (seconds since the run started) is empty on per-iteration rows. Numbers are
// written in their shortest exact form (core/text.hpp), non-finite ones as
// nan, inf or -inf; loss and lr, which the History holds as floats, in the
// shortest form of the float (read as a double, they round to the same float).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "descent/experiment/history_scalars.hpp"
#include "descent/train/history.hpp"

namespace descent {

struct RunHistory {
  std::string_view run;  // the run's name: not empty, no comma, quote or line break
  const History& history;
};

// The whole file, header first. ConfigError for a run name it cannot hold.
std::string metrics_csv(std::span<const RunHistory> runs);

struct MetricRow {
  std::string run;
  Scalar scalar;
};

// Reads metrics.csv back; FormatError naming the source, line and field.
std::vector<MetricRow> parse_metrics_csv(std::string_view text, const std::string& source);
std::vector<MetricRow> read_metrics_csv(const std::filesystem::path& path);

}  // namespace descent

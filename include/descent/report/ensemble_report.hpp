// The pictures and page of a scored ensemble (ensemble_score.hpp): size.png
// and size.svg (test accuracy against the number of members combined, with
// each member alone as points) and report.html (the table of the members and
// of the three rules, the cost of prediction, and that chart), one offline
// page drawn by Chart.js.
#pragma once

#include <filesystem>

#include "descent/ensemble/ensemble_score.hpp"
#include "descent/experiment/figure.hpp"

namespace descent {

Figure ensemble_size_figure(const EnsembleScore& score);

// Writes out_dir/size.png, size.svg and report.html. IoError if Chart.js is
// missing (report.hpp's chartjs_path) or a file cannot be written.
void write_ensemble_report(const std::filesystem::path& out_dir, const EnsembleScore& score);

}  // namespace descent

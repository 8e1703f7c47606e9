// The report of one or more sweeps: report.html, one self-contained page that
// opens offline (Chart.js and the data inlined, pictures as data URIs), and
// every chart again as figures/<id>.png and figures/<id>.svg (the optimizer
// path pictures as PNG alone).
//
// The page leads with the answer: a header per sweep (name, date, runs
// finished, diverged and pending); the findings of each sweep (the winner, its
// margin and spread, the tuned-rate table with time to target, and the tuning
// protocol's result when the sweep ran one); the performance profile over the
// sweeps' problems (sweep_profiles.hpp) with its scores; each optimizer's best
// learning rate; then the charts of every group, the lr-find charts and the
// optimizer paths; last the table of runs, collapsed, with its sort and
// filter. Once
// its charts are drawn it records what it saw on <body> for a browser to read
// back: data-charts-expected, data-charts-drawn and data-charts-blank (canvases
// without a painted pixel), data-errors (script errors and console.error
// messages, one per line; empty if none) and data-render-ms (milliseconds
// from the start of loading to the charts drawn).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "descent/experiment/sweep_folder.hpp"
#include "descent/report/report_figures.hpp"

namespace descent {

// Reads the sweep folders and writes out_dir/report.html and every chart as
// out_dir/figures/<id>.png and .svg (path pictures: .png). Figure ids of several sweeps are
// prefixed with each sweep's name. Returns the report's path. IoError if Chart.js is missing (see
// chartjs_path) or a file cannot be written; the errors of read_sweep_folder for a sweep folder
// that cannot be read.
std::filesystem::path write_report(const std::vector<std::filesystem::path>& sweep_dirs,
                                   const std::filesystem::path& out_dir);

// The Chart.js build (UMD, version 3) that the page inlines: the environment
// variable DESCENT_CHARTJS if set, else the path chosen at build time, by
// default Debian's libjs-chart.js.
std::filesystem::path chartjs_path();

// One sweep as the page shows it.
struct ReportSweep {
  SweepFolder folder;
  SweepFigures figures;
  std::vector<std::string> path_pictures;  // PNG bytes of each figures.paths, in order
  std::string date;                        // when the sweep last wrote its summary
};

// The page itself, from sweeps already read and drawn and the performance
// profile over them (sweep_profiles.hpp); `chartjs` is the text of Chart.js.
std::string report_html(const std::vector<ReportSweep>& sweeps, const SweepProfiles& profiles,
                        std::string_view chartjs);

// A self-contained page of any charts: the HTML `body` (its <header>,
// sections and the chart_canvases of `figures`), the data of `figures` and
// the script that draws them, Chart.js (`chartjs`, its text) inlined; the
// same style and data-charts-* record as report.html.
std::string chart_page(const std::string& title, const std::string& body,
                       const std::vector<Figure>& figures, std::string_view chartjs);
// The canvases of `figures`, in a grid, for chart_page's body.
std::string chart_canvases(const std::vector<Figure>& figures);

// Text made safe inside HTML elements and quoted attributes.
std::string html_escape(std::string_view text);

}  // namespace descent

// write_report: reads the sweeps, draws their figures into files and writes
// the page (report_html.cpp).
#include "descent/report/report.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <set>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/report/plot_file.hpp"

namespace descent {

namespace {

namespace fs = std::filesystem;

std::string local_time_text(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm local{};
  localtime_r(&seconds, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
  return text;
}

// When the sweep last wrote its summary: the time of its latest results.
std::string sweep_date(const fs::path& dir) {
  std::error_code error;
  const auto written = fs::last_write_time(dir / "summary.json", error);
  if (error) return "";
  return local_time_text(std::chrono::file_clock::to_sys(written));
}

// Writes figures/<id>.png and .svg of every chart of the sweep, and its path
// pictures as PNG alone (a shaded contour map in SVG is megabytes of cells),
// and returns the PNG bytes of the path pictures, which the page embeds.
std::vector<std::string> write_figure_files(const SweepFigures& figures, const fs::path& dir) {
  for (const GroupFigures& group : figures.groups) {
    for (const Figure& figure : group.figures) {
      save_figure(figure, dir / (figure.id + ".png"));
      save_figure(figure, dir / (figure.id + ".svg"));
    }
  }
  for (const Figure& figure : figures.lr_finds) {
    save_figure(figure, dir / (figure.id + ".png"));
    save_figure(figure, dir / (figure.id + ".svg"));
  }
  std::vector<std::string> pictures;
  for (const ContourFigure& contour : figures.paths) {
    const fs::path png = dir / (contour.id + ".png");
    save_contour(contour, png);
    pictures.push_back(read_file(png));
  }
  return pictures;
}

// The prefix of each sweep's figure ids: none for one sweep; its name, made
// unique, for several.
std::vector<std::string> id_prefixes(const std::vector<SweepFolder>& folders) {
  std::vector<std::string> prefixes;
  if (folders.size() == 1) return {""};
  std::set<std::string> taken;
  for (const SweepFolder& folder : folders) {
    std::string prefix = figure_id(folder.name);
    for (int n = 2; taken.count(prefix); ++n)
      prefix = figure_id(folder.name) + "-" + std::to_string(n);
    taken.insert(prefix);
    prefixes.push_back(prefix + "-");
  }
  return prefixes;
}

}  // namespace

fs::path chartjs_path() {
  if (const char* path = std::getenv("DESCENT_CHARTJS"); path != nullptr && *path != '\0') {
    return path;
  }
  return DESCENT_CHARTJS_DEFAULT;
}

fs::path write_report(const std::vector<fs::path>& sweep_dirs, const fs::path& out_dir) {
  if (sweep_dirs.empty()) throw ConfigError("report: no sweep folder given");
  const fs::path chartjs_file = chartjs_path();
  std::error_code error;
  if (!fs::is_regular_file(chartjs_file, error)) {
    throw IoError("Chart.js not found at '" + chartjs_file.string() +
                  "': install Debian's libjs-chart.js (scripts/setup.sh does), or set "
                  "DESCENT_CHARTJS to its chart.min.js");
  }
  const std::string chartjs = read_file(chartjs_file);

  std::vector<SweepFolder> folders;
  for (const fs::path& dir : sweep_dirs) folders.push_back(read_sweep_folder(dir));

  const fs::path figures_dir = out_dir / "figures";
  fs::create_directories(figures_dir, error);
  if (error) {
    throw IoError("cannot create '" + figures_dir.string() + "': " + error.message());
  }
  // Over every sweep, before the folders move into the page's sweeps.
  const SweepProfiles profiles = sweep_profiles(folders);
  if (!profiles.methods.empty()) {
    const Figure profile = profile_figure(profiles);
    save_figure(profile, figures_dir / (profile.id + ".png"));
    save_figure(profile, figures_dir / (profile.id + ".svg"));
  }
  const std::vector<std::string> prefixes = id_prefixes(folders);
  std::vector<ReportSweep> sweeps;
  for (std::size_t i = 0; i < folders.size(); ++i) {
    ReportSweep sweep;
    sweep.figures = sweep_figures(folders[i], prefixes[i]);
    sweep.path_pictures = write_figure_files(sweep.figures, figures_dir);
    sweep.date = sweep_date(folders[i].dir);
    sweep.folder = std::move(folders[i]);
    sweeps.push_back(std::move(sweep));
  }
  const fs::path report = out_dir / "report.html";
  write_file_atomic(report, report_html(sweeps, profiles, chartjs));
  return report;
}

}  // namespace descent

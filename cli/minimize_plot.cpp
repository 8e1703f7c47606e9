// `descent minimize --plot`: the run's path on the function's contour plot,
// beside those of the --compare optimizers.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "descent/core/error.hpp"
#include "descent/report/plot_file.hpp"
#include "descent/optim/registry.hpp"
#include "minimize_parts.hpp"

namespace descent::cli {

namespace {

// Whether --compare's `item` is a line-search method, which takes no LR.
bool is_line_search_method(const std::string& item) {
  const auto& names = quasi_newton_names();
  return std::find(names.begin(), names.end(), item) != names.end() &&
         optimizer_kind(item) == OptimizerKind::line_search;
}

// --compare's OPT[:LR] items of first-order optimizers; an LR left out is
// the optimizer's default. Line-search methods (lbfgs, cg) take no LR and are
// left to compared_line_search_methods.
std::vector<PathRun> compared_runs(const std::vector<std::string>& items) {
  std::vector<PathRun> runs;
  for (const auto& item : items) {
    if (is_line_search_method(item)) continue;
    const auto colon = item.find(':');
    PathRun run{item.substr(0, colon), 0, {}};
    if (colon == std::string::npos) {
      run.lr = default_learning_rate(run.optimizer);
    } else {
      const std::string lr = item.substr(colon + 1);
      char* end = nullptr;
      run.lr = std::strtod(lr.c_str(), &end);
      if (lr.empty() || *end != '\0' || !(run.lr > 0) || !std::isfinite(run.lr)) {
        throw ConfigError("--compare: '" + item + "': expected OPT or OPT:LR with LR > 0");
      }
    }
    make_optimizer<double>(run.optimizer);  // names the known optimizers if unknown
    runs.push_back(std::move(run));
  }
  return runs;
}

std::vector<std::string> compared_line_search_methods(const std::vector<std::string>& items) {
  std::vector<std::string> methods;
  for (const auto& item : items) {
    if (is_line_search_method(item)) methods.push_back(item);
  }
  return methods;
}

}  // namespace

void check_plot_flags(const MinimizeArgs& args, const TestFunction& function) {
  if (args.plot.empty()) {
    if (!args.compare.empty()) throw ConfigError("--compare: needs --plot FILE.png|FILE.svg");
    return;
  }
  check_plot_path(args.plot);
  if (function.dim() != 2) {
    throw ConfigError("--plot: draws a 2-D function's contours; " + function.name() + " has " +
                      std::to_string(function.dim()) + " dimensions (use --dim 2)");
  }
  compared_runs(args.compare);
}

void save_plot(const MinimizeArgs& args, const TestFunction& function,
               std::optional<OptimizerPath> path, const std::vector<double>& start) {
  OptimizerPaths paths = trace_paths(args.function, {}, args.steps, start);
  if (path) add_path(paths, std::move(*path));
  const auto compared = trace_paths(args.function, compared_runs(args.compare), args.steps, start);
  for (const auto& p : compared.paths) add_path(paths, p);
  for (const auto& method : compared_line_search_methods(args.compare)) {
    add_path(paths, line_search_path(function, method, args, start));
  }
  save_contour(contour_figure(paths), args.plot);
}

}  // namespace descent::cli

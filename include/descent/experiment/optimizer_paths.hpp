// Optimizer paths on a 2-D test function: the classic picture of several
// optimizers' iterates over the function's contour plot. Traced with
// descent::minimize in double precision; stored as paths/<function>.json of
// a sweep folder (docs/compare-folder.md).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "descent/experiment/figure.hpp"
#include "descent/optim/registry.hpp"

namespace descent {

struct PathRun {
  std::string optimizer;
  double lr = 0;
  OptimizerOptions options;
};

struct OptimizerPath {
  std::string optimizer;
  double lr = 0;  // 0 for a line-search method (lbfgs, cg), which chooses its steps
  std::size_t steps = 0;  // updates made (fewer than asked if the run diverged)
  // The iterates with finite coordinates and value, from the start on;
  // thinned evenly to at most max_path_points, keeping the first and last.
  std::vector<double> x, y, f;
  bool diverged = false;
};

struct OptimizerPaths {
  std::string function;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;  // the window to draw
  std::vector<OptimizerPath> paths;
};

inline constexpr std::size_t max_path_points = 2000;

// The classic picture's optimizers, with learning rates that show each one's
// character on this function (the 2-D functions: rosenbrock, beale, saddle,
// booth, himmelblau, sphere, rastrigin). ConfigError for another name.
std::vector<PathRun> default_path_runs(const std::string& function);

// Runs each optimizer at its constant learning rate for `steps` updates from
// `start` (empty: the function's usual start), recording every iterate. The
// window is the function's usual view, widened to hold the paths' finite
// points, though never past three times the view's width or height.
// ConfigError if the function is not 2-D or an optimizer is unknown.
OptimizerPaths trace_paths(const std::string& function, const std::vector<PathRun>& runs,
                           std::size_t steps, const std::vector<double>& start = {});

// Adds a path recorded elsewhere (say, under a schedule): thinned to
// max_path_points, and the window widened to hold it as trace_paths does.
void add_path(OptimizerPaths& paths, OptimizerPath path);

// paths/<function>.json, as docs/compare-folder.md describes it.
nlohmann::json to_json(const OptimizerPaths& paths);
// FormatError naming `source` and the field at fault.
OptimizerPaths paths_from_json(const nlohmann::json& json, const std::string& source);

// The function sampled on a grid over the window with contour levels (log
// spaced for a non-negative function of wide range, else evenly spaced),
// each path as a line in its optimizer's colour, and the minimizers and
// the first path's start as points.
ContourFigure contour_figure(const OptimizerPaths& paths);

}  // namespace descent

#include "descent/experiment/optimizer_paths.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/minimize.hpp"
#include "descent/optim/test_functions.hpp"

namespace descent {

namespace {

struct Window {
  double x_min, x_max, y_min, y_max;
};

// Where each function is usually looked at: its start, its minimizers and
// the shape around them.
Window usual_view(const std::string& function) {
  static const std::map<std::string, Window> views = {
      {"rosenbrock", {-2, 2, -1, 3}},           {"beale", {-4.5, 4.5, -4.5, 4.5}},
      {"saddle", {-1.5, 1.5, -1.5, 1.5}},       {"booth", {-3, 5, -1, 7}},
      {"himmelblau", {-5, 5, -5, 5}},           {"sphere", {-1.5, 1.5, -1.5, 1.5}},
      {"rastrigin", {-5.12, 5.12, -5.12, 5.12}}};
  const auto it = views.find(function);
  if (it == views.end()) {
    std::string known;
    for (const auto& [name, view] : views) known += (known.empty() ? "" : ", ") + name;
    throw ConfigError("function '" + function + "': optimizer paths need a 2-D function: " + known);
  }
  return it->second;
}

// One axis of the window: the view widened to hold [lo, hi] with a margin,
// by at most the view's own extent on each side.
void widen(double& view_lo, double& view_hi, double lo, double hi) {
  const double extent = view_hi - view_lo;
  const double margin = 0.05 * std::max(hi - lo, extent);
  const double new_lo = lo < view_lo ? std::max(lo - margin, view_lo - extent) : view_lo;
  const double new_hi = hi > view_hi ? std::min(hi + margin, view_hi + extent) : view_hi;
  view_lo = new_lo;
  view_hi = new_hi;
}

void fit_window(OptimizerPaths& paths) {
  Window w = usual_view(paths.function);
  double x_lo = w.x_min, x_hi = w.x_max, y_lo = w.y_min, y_hi = w.y_max;
  for (const auto& p : paths.paths) {
    for (double v : p.x) {
      x_lo = std::min(x_lo, v);
      x_hi = std::max(x_hi, v);
    }
    for (double v : p.y) {
      y_lo = std::min(y_lo, v);
      y_hi = std::max(y_hi, v);
    }
  }
  widen(w.x_min, w.x_max, x_lo, x_hi);
  widen(w.y_min, w.y_max, y_lo, y_hi);
  paths.x_min = w.x_min;
  paths.x_max = w.x_max;
  paths.y_min = w.y_min;
  paths.y_max = w.y_max;
}

// Keeps at most `limit` points, evenly spread, the first and last among them.
void thin(OptimizerPath& path, std::size_t limit) {
  const std::size_t n = path.x.size();
  if (n <= limit) return;
  std::vector<double> x, y, f;
  for (std::size_t k = 0; k < limit; ++k) {
    const std::size_t i = (k * (n - 1) + (limit - 1) / 2) / (limit - 1);
    x.push_back(path.x[i]);
    y.push_back(path.y[i]);
    f.push_back(path.f[i]);
  }
  path.x = std::move(x);
  path.y = std::move(y);
  path.f = std::move(f);
}

std::unique_ptr<TestFunction> two_d_function(const std::string& function) {
  usual_view(function);  // names the 2-D functions if this is not one
  auto f = make_test_function(function);
  if (f->dim() != 2) {
    throw ConfigError("function '" + function + "' is " + std::to_string(f->dim()) +
                      "-D; optimizer paths need a 2-D function");
  }
  return f;
}

OptimizerPath trace(const TestFunction& function, const PathRun& run, std::size_t steps,
                    const std::vector<double>& start) {
  if (!(run.lr > 0) || !std::isfinite(run.lr)) {
    throw ConfigError("optimizer path '" + run.optimizer + "': lr must be a positive number, got " +
                      shortest(run.lr));
  }
  auto optimizer = make_optimizer<double>(run.optimizer, run.options);
  OptimizerPath path{run.optimizer, run.lr, 0, {}, {}, {}, false};
  const auto record = [&](std::size_t, double f, std::span<const double> x) {
    if (std::isfinite(f) && std::isfinite(x[0]) && std::isfinite(x[1])) {
      path.x.push_back(x[0]);
      path.y.push_back(x[1]);
      path.f.push_back(f);
    }
  };
  const MinimizeResult result = minimize(
      function, *optimizer, start.empty() ? function.start() : start, steps,
      [&](std::size_t) { return run.lr; }, record);
  path.steps = result.steps;
  path.diverged = result.diverged;
  return path;
}

}  // namespace

std::vector<PathRun> default_path_runs(const std::string& function) {
  usual_view(function);
  // Learning rates at which each optimizer shows its character within a few
  // hundred steps without leaving the picture: plain SGD crawls down
  // Rosenbrock's valley, momentum overshoots and swings back, the adaptive
  // methods take even steps along both axes.
  static const std::map<std::string, std::vector<PathRun>> runs = {
      {"rosenbrock",
       {{"sgd", 1e-3, {}},
        {"momentum", 2e-4, {}},
        {"nesterov", 2e-4, {}},
        {"adagrad", 0.5, {}},
        {"rmsprop", 1e-2, {}},
        {"adam", 0.05, {}}}},
      {"beale",
       {{"sgd", 1e-2, {}},
        {"momentum", 1e-3, {}},
        {"nesterov", 1e-3, {}},
        {"adagrad", 0.5, {}},
        {"rmsprop", 1e-2, {}},
        {"adam", 0.05, {}}}},
      // Plain SGD leaves the saddle only as fast as the tiny start offset
      // grows; momentum and the adaptive methods escape soon.
      {"saddle",
       {{"sgd", 1e-2, {}},
        {"momentum", 1e-2, {}},
        {"nesterov", 1e-2, {}},
        {"adagrad", 0.1, {}},
        {"rmsprop", 1e-2, {}},
        {"adam", 1e-2, {}}}},
      {"himmelblau",
       {{"sgd", 1e-2, {}},
        {"momentum", 2e-3, {}},
        {"nesterov", 2e-3, {}},
        {"adagrad", 0.5, {}},
        {"rmsprop", 0.05, {}},
        {"adam", 0.1, {}}}},
      // Every one of them settles in a local minimum near the start.
      {"rastrigin",
       {{"sgd", 2e-3, {}},
        {"momentum", 1e-3, {}},
        {"nesterov", 1e-3, {}},
        {"adagrad", 0.5, {}},
        {"rmsprop", 0.05, {}},
        {"adam", 0.1, {}}}},
  };
  const auto it = runs.find(function);
  if (it != runs.end()) return it->second;
  return {{"sgd", 0.05, {}},    {"momentum", 0.01, {}}, {"nesterov", 0.01, {}},
          {"adagrad", 0.5, {}}, {"rmsprop", 0.05, {}},  {"adam", 0.1, {}}};
}

OptimizerPaths trace_paths(const std::string& function, const std::vector<PathRun>& runs,
                           std::size_t steps, const std::vector<double>& start) {
  const auto f = two_d_function(function);
  OptimizerPaths paths;
  paths.function = function;
  fit_window(paths);
  for (const auto& run : runs) add_path(paths, trace(*f, run, steps, start));
  return paths;
}

void add_path(OptimizerPaths& paths, OptimizerPath path) {
  if (path.y.size() != path.x.size() || path.f.size() != path.x.size()) {
    throw ShapeError("optimizer path '" + path.optimizer + "': x, y and f differ in length");
  }
  thin(path, max_path_points);
  paths.paths.push_back(std::move(path));
  fit_window(paths);
}

nlohmann::json to_json(const OptimizerPaths& paths) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : paths.paths) {
    list.push_back({{"optimizer", p.optimizer},
                    {"lr", p.lr},
                    {"steps", p.steps},
                    {"x", p.x},
                    {"y", p.y},
                    {"f", p.f},
                    {"diverged", p.diverged}});
  }
  return {{"function", paths.function}, {"x_min", paths.x_min}, {"x_max", paths.x_max},
          {"y_min", paths.y_min},       {"y_max", paths.y_max}, {"paths", list}};
}

namespace {

// Reads the fields of one JSON object, naming the file and field at fault.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& object, std::string source, std::string prefix)
      : object_(object), source_(std::move(source)), prefix_(std::move(prefix)) {
    if (!object_.is_object()) fail(prefix_.empty() ? "(top level)" : prefix_, "an object");
  }

  const nlohmann::json& field(const std::string& name, bool (nlohmann::json::*is)() const,
                              const char* expected) const {
    const auto it = object_.find(name);
    if (it == object_.end() || !((*it).*is)()) fail(prefix_ + name, expected);
    return *it;
  }
  double number(const std::string& name) const {
    const double v = field(name, &nlohmann::json::is_number, "a number").get<double>();
    if (!std::isfinite(v)) fail(prefix_ + name, "a finite number");
    return v;
  }
  std::string text(const std::string& name) const {
    return field(name, &nlohmann::json::is_string, "a string").get<std::string>();
  }
  std::vector<double> numbers(const std::string& name) const {
    const auto& array = field(name, &nlohmann::json::is_array, "an array of numbers");
    std::vector<double> values;
    for (const auto& v : array) {
      if (!v.is_number()) fail(prefix_ + name, "an array of numbers");
      values.push_back(v.get<double>());
    }
    return values;
  }
  [[noreturn]] void fail(const std::string& field, const std::string& expected) const {
    throw FormatError(source_ + ": field '" + field + "': expected " + expected);
  }

 private:
  const nlohmann::json& object_;
  std::string source_;
  std::string prefix_;
};

}  // namespace

OptimizerPaths paths_from_json(const nlohmann::json& json, const std::string& source) {
  const FieldReader top(json, source, "");
  OptimizerPaths paths;
  paths.function = top.text("function");
  paths.x_min = top.number("x_min");
  paths.x_max = top.number("x_max");
  paths.y_min = top.number("y_min");
  paths.y_max = top.number("y_max");
  if (!(paths.x_min < paths.x_max)) top.fail("x_max", "a number above x_min");
  if (!(paths.y_min < paths.y_max)) top.fail("y_max", "a number above y_min");
  const auto& list = top.field("paths", &nlohmann::json::is_array, "an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string prefix = "paths[" + std::to_string(i) + "].";
    const FieldReader r(list[i], source, prefix);
    OptimizerPath p;
    p.optimizer = r.text("optimizer");
    p.lr = r.number("lr");
    p.steps = r.field("steps", &nlohmann::json::is_number_unsigned, "a count").get<std::size_t>();
    p.x = r.numbers("x");
    p.y = r.numbers("y");
    p.f = r.numbers("f");
    if (p.y.size() != p.x.size()) r.fail(prefix + "y", "as many values as x");
    if (p.f.size() != p.x.size()) r.fail(prefix + "f", "as many values as x");
    if (list[i].contains("diverged")) {
      p.diverged = r.field("diverged", &nlohmann::json::is_boolean, "true or false").get<bool>();
    }
    paths.paths.push_back(std::move(p));
  }
  return paths;
}

namespace {

constexpr std::size_t grid_points = 121;
constexpr std::size_t log_level_count = 30;
constexpr std::size_t linear_level_count = 21;

// Log-spaced levels for a non-negative function whose values span orders of
// magnitude (Rosenbrock's valley against its walls); evenly spaced otherwise.
std::vector<double> contour_levels(const std::vector<double>& values) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  double lowest_positive = lo;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (v > 0) lowest_positive = std::min(lowest_positive, v);
  }
  if (!(lo < hi)) return {};
  std::vector<double> levels;
  const double log_lo = std::max(lowest_positive, hi * 1e-6);
  if (lo >= 0 && hi / log_lo > 100) {
    const double ratio = std::log(hi / log_lo);
    for (std::size_t k = 0; k < log_level_count; ++k) {
      levels.push_back(log_lo * std::exp(ratio * static_cast<double>(k) / (log_level_count - 1)));
    }
  } else {
    for (std::size_t k = 0; k < linear_level_count; ++k) {
      levels.push_back(lo + (hi - lo) * static_cast<double>(k) / (linear_level_count - 1));
    }
  }
  return levels;
}

}  // namespace

ContourFigure contour_figure(const OptimizerPaths& paths) {
  const auto function = two_d_function(paths.function);
  ContourFigure figure;
  figure.id = "paths-" + paths.function;
  figure.title = "Optimizer paths on " + paths.function;
  figure.x_min = paths.x_min;
  figure.x_max = paths.x_max;
  figure.y_min = paths.y_min;
  figure.y_max = paths.y_max;
  figure.nx = grid_points;
  figure.ny = grid_points;
  figure.values.resize(figure.nx * figure.ny);
  for (std::size_t j = 0; j < figure.ny; ++j) {
    for (std::size_t i = 0; i < figure.nx; ++i) {
      const double point[2] = {
          paths.x_min + (paths.x_max - paths.x_min) * static_cast<double>(i) / (figure.nx - 1),
          paths.y_min + (paths.y_max - paths.y_min) * static_cast<double>(j) / (figure.ny - 1)};
      figure.values[j * figure.nx + i] = function->value(point);
    }
  }
  figure.levels = contour_levels(figure.values);

  std::set<std::string> drawn;
  for (const auto& p : paths.paths) {
    Series s;
    s.label = p.lr > 0 ? p.optimizer + " lr " + shortest(p.lr) : p.optimizer;
    s.x = p.x;
    s.y = p.y;
    s.color = optimizer_color(p.optimizer);
    // A second path of the same optimizer has its colour: it is dashed instead.
    s.style = drawn.insert(p.optimizer).second ? SeriesStyle::line : SeriesStyle::dashed;
    s.diverged = p.diverged;
    figure.paths.push_back(std::move(s));
  }

  Series minimum{"minimum", {}, {}, SeriesStyle::points, "#000000", 1.0, false, {}, {}};
  for (const auto& m : function->minimizers()) {
    minimum.x.push_back(m[0]);
    minimum.y.push_back(m[1]);
  }
  if (!minimum.x.empty()) figure.points.push_back(std::move(minimum));
  Series start{"start", {}, {}, SeriesStyle::points, "#e6ab02", 1.0, false, {}, {}};
  const bool traced = !paths.paths.empty() && !paths.paths.front().x.empty();
  start.x.push_back(traced ? paths.paths.front().x.front() : function->start()[0]);
  start.y.push_back(traced ? paths.paths.front().y.front() : function->start()[1]);
  figure.points.push_back(std::move(start));
  return figure;
}

}  // namespace descent

// Optimizer paths on 2-D test functions: tracing, the window, the JSON file
// and the contour figure built from them.
#include "descent/experiment/optimizer_paths.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "descent/core/error.hpp"
#include "descent/experiment/figure.hpp"
#include "descent/optim/minimize.hpp"
#include "descent/optim/registry.hpp"
#include "descent/optim/test_functions.hpp"

namespace descent {
namespace {

TEST(OptimizerPaths, TraceRecordsEveryIterateFromTheStart) {
  const auto rosenbrock = make_test_function("rosenbrock");
  const OptimizerPaths paths = trace_paths("rosenbrock", {{"sgd", 1e-3, {}}}, 100);
  ASSERT_EQ(paths.paths.size(), 1u);
  const OptimizerPath& p = paths.paths[0];
  EXPECT_EQ(p.optimizer, "sgd");
  EXPECT_EQ(p.lr, 1e-3);
  EXPECT_EQ(p.steps, 100u);
  EXPECT_FALSE(p.diverged);
  ASSERT_EQ(p.x.size(), 101u);
  ASSERT_EQ(p.y.size(), 101u);
  ASSERT_EQ(p.f.size(), 101u);
  EXPECT_EQ(p.x[0], rosenbrock->start()[0]);
  EXPECT_EQ(p.y[0], rosenbrock->start()[1]);
  for (std::size_t i = 0; i < p.x.size(); i += 10) {
    const double point[2] = {p.x[i], p.y[i]};
    EXPECT_EQ(p.f[i], rosenbrock->value(point)) << i;
  }
  EXPECT_LT(p.f.back(), p.f.front());
}

TEST(OptimizerPaths, TraceStartsWhereItIsTold) {
  const OptimizerPaths paths = trace_paths("beale", {{"adam", 0.01, {}}}, 5, {2.0, -1.0});
  EXPECT_EQ(paths.paths[0].x[0], 2.0);
  EXPECT_EQ(paths.paths[0].y[0], -1.0);
}

TEST(OptimizerPaths, LongPathsAreThinnedKeepingTheFirstAndLastPoint) {
  const std::size_t steps = 3 * max_path_points;
  const OptimizerPaths paths = trace_paths("rosenbrock", {{"adam", 0.01, {}}}, steps);
  const OptimizerPath& p = paths.paths[0];
  ASSERT_EQ(p.x.size(), max_path_points);
  const auto rosenbrock = make_test_function("rosenbrock");
  auto adam = make_optimizer<double>("adam");
  const MinimizeResult full =
      minimize(*rosenbrock, *adam, rosenbrock->start(), steps, [](std::size_t) { return 0.01; });
  EXPECT_EQ(p.x.front(), rosenbrock->start()[0]);
  EXPECT_EQ(p.x.back(), full.x[0]);
  EXPECT_EQ(p.y.back(), full.x[1]);
  EXPECT_EQ(p.steps, steps);
}

TEST(OptimizerPaths, OnlyTwoDimensionalFunctionsAndKnownOptimizers) {
  EXPECT_THROW(trace_paths("nowhere", {}, 10), ConfigError);
  EXPECT_THROW(default_path_runs("nowhere"), ConfigError);
  EXPECT_THROW(trace_paths("sphere", {{"adamz", 0.1, {}}}, 10), ConfigError);
  EXPECT_THROW(trace_paths("sphere", {{"sgd", 0, {}}}, 10), ConfigError);
}

TEST(OptimizerPaths, TheWindowHoldsThePathsWithinReason) {
  // SGD past its stable rate swings out of the sphere's usual view
  // (|x| = 1.1^t); the window widens to hold it.
  const OptimizerPaths paths = trace_paths("sphere", {{"sgd", 1.05, {}}}, 6);
  const OptimizerPath& p = paths.paths[0];
  for (std::size_t i = 0; i < p.x.size(); ++i) {
    EXPECT_GE(p.x[i], paths.x_min);
    EXPECT_LE(p.x[i], paths.x_max);
    EXPECT_GE(p.y[i], paths.y_min);
    EXPECT_LE(p.y[i], paths.y_max);
  }
  EXPECT_LT(paths.x_min, -1.7);
  // One that diverges leaves the window at three times the usual view at most.
  const OptimizerPaths wild = trace_paths("sphere", {{"sgd", 1.5, {}}}, 1200);
  EXPECT_TRUE(wild.paths[0].diverged);
  EXPECT_GE(wild.x_min, -4.5);
  EXPECT_LE(wild.x_max, 4.5);
  for (double v : wild.paths[0].f) EXPECT_TRUE(std::isfinite(v));
}

TEST(OptimizerPaths, DefaultRunsStayInThePicture) {
  for (const std::string function :
       {"rosenbrock", "beale", "saddle", "booth", "himmelblau", "sphere", "rastrigin"}) {
    const auto runs = default_path_runs(function);
    EXPECT_GE(runs.size(), 4u) << function;
    const OptimizerPaths paths = trace_paths(function, runs, 500);
    for (const auto& p : paths.paths) {
      EXPECT_FALSE(p.diverged) << function << " " << p.optimizer;
      EXPECT_EQ(p.x.size(), 501u) << function << " " << p.optimizer;
    }
  }
}

// The classic story: plain SGD crawls off the saddle, momentum and Adam escape.
TEST(OptimizerPaths, OnTheSaddleSgdLingersWhereMomentumAndAdamEscape) {
  const OptimizerPaths paths = trace_paths("saddle", default_path_runs("saddle"), 150);
  double sgd = 0, momentum = 0, adam = 0;
  for (const auto& p : paths.paths) {
    if (p.optimizer == "sgd") sgd = std::abs(p.y.back());
    if (p.optimizer == "momentum") momentum = std::abs(p.y.back());
    if (p.optimizer == "adam") adam = std::abs(p.y.back());
  }
  EXPECT_LT(sgd, 0.1);
  EXPECT_GT(momentum, 1.0);
  EXPECT_GT(adam, 1.0);
}

TEST(OptimizerPaths, JsonRoundTrips) {
  OptimizerPaths paths = trace_paths("beale", {{"adam", 0.05, {}}, {"sgd", 1e-2, {}}}, 30);
  paths.paths[1].diverged = true;
  const nlohmann::json json = nlohmann::json::parse(to_json(paths).dump());
  EXPECT_EQ(json["function"], "beale");
  EXPECT_EQ(json["paths"][0]["steps"], 30);
  const OptimizerPaths back = paths_from_json(json, "paths/beale.json");
  EXPECT_EQ(back.function, paths.function);
  EXPECT_EQ(back.x_min, paths.x_min);
  EXPECT_EQ(back.x_max, paths.x_max);
  EXPECT_EQ(back.y_min, paths.y_min);
  EXPECT_EQ(back.y_max, paths.y_max);
  ASSERT_EQ(back.paths.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back.paths[i].optimizer, paths.paths[i].optimizer);
    EXPECT_EQ(back.paths[i].lr, paths.paths[i].lr);
    EXPECT_EQ(back.paths[i].steps, paths.paths[i].steps);
    EXPECT_EQ(back.paths[i].x, paths.paths[i].x);
    EXPECT_EQ(back.paths[i].y, paths.paths[i].y);
    EXPECT_EQ(back.paths[i].f, paths.paths[i].f);
    EXPECT_EQ(back.paths[i].diverged, paths.paths[i].diverged);
  }
}

void expect_format_error(const nlohmann::json& json, const std::string& field) {
  try {
    paths_from_json(json, "sweep/paths/beale.json");
    ADD_FAILURE() << "no error for " << field;
  } catch (const FormatError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("sweep/paths/beale.json"), std::string::npos) << message;
    EXPECT_NE(message.find("'" + field + "'"), std::string::npos) << message;
  }
}

TEST(OptimizerPaths, JsonErrorsNameTheFileAndTheField) {
  const nlohmann::json good = to_json(trace_paths("beale", {{"adam", 0.05, {}}}, 3));
  auto json = good;
  json.erase("x_min");
  expect_format_error(json, "x_min");
  json = good;
  json["function"] = 3;
  expect_format_error(json, "function");
  json = good;
  json["paths"] = "none";
  expect_format_error(json, "paths");
  json = good;
  json["paths"][0]["x"] = {1, "two"};
  expect_format_error(json, "paths[0].x");
  json = good;
  json["paths"][0]["f"].push_back(1.0);
  expect_format_error(json, "paths[0].f");
  json = good;
  json["paths"][0]["steps"] = -1;
  expect_format_error(json, "paths[0].steps");
  json = good;
  json["y_max"] = json["y_min"];
  expect_format_error(json, "y_max");
  EXPECT_THROW(paths_from_json(nlohmann::json::array(), "p.json"), FormatError);
}

TEST(OptimizerPaths, ContourGridHoldsTheFunctionAtTheGridPoints) {
  const OptimizerPaths paths = trace_paths("rosenbrock", {{"adam", 0.05, {}}}, 20);
  const ContourFigure figure = contour_figure(paths);
  ASSERT_GE(figure.nx, 2u);
  ASSERT_GE(figure.ny, 2u);
  ASSERT_EQ(figure.values.size(), figure.nx * figure.ny);
  EXPECT_EQ(figure.x_min, paths.x_min);
  EXPECT_EQ(figure.y_max, paths.y_max);
  const auto rosenbrock = make_test_function("rosenbrock");
  for (std::size_t j = 0; j < figure.ny; j += 7) {
    for (std::size_t i = 0; i < figure.nx; i += 5) {
      const double x = figure.x_min + (figure.x_max - figure.x_min) * static_cast<double>(i) /
                                          static_cast<double>(figure.nx - 1);
      const double y = figure.y_min + (figure.y_max - figure.y_min) * static_cast<double>(j) /
                                          static_cast<double>(figure.ny - 1);
      const double point[2] = {x, y};
      EXPECT_NEAR(figure.values[j * figure.nx + i], rosenbrock->value(point),
                  1e-12 * (1 + rosenbrock->value(point)))
          << i << ", " << j;
    }
  }
}

TEST(OptimizerPaths, LevelsAreLogSpacedForRosenbrockAndEvenForTheSaddle) {
  const auto log_levels = contour_figure(trace_paths("rosenbrock", {}, 0)).levels;
  ASSERT_GE(log_levels.size(), 10u);
  EXPECT_GT(log_levels.front(), 0);
  const double ratio = log_levels[1] / log_levels[0];
  EXPECT_GT(ratio, 1.2);
  for (std::size_t k = 1; k < log_levels.size(); ++k) {
    EXPECT_NEAR(log_levels[k] / log_levels[k - 1], ratio, 1e-9 * ratio);
  }
  const auto even_levels = contour_figure(trace_paths("saddle", {}, 0)).levels;
  ASSERT_GE(even_levels.size(), 10u);
  EXPECT_LT(even_levels.front(), 0);
  const double step = even_levels[1] - even_levels[0];
  for (std::size_t k = 1; k < even_levels.size(); ++k) {
    EXPECT_NEAR(even_levels[k] - even_levels[k - 1], step, 1e-9);
  }
}

TEST(OptimizerPaths, ContourFigureDrawsEachPathInItsOptimizersColour) {
  const OptimizerPaths paths =
      trace_paths("himmelblau", {{"adam", 0.1, {}}, {"sgd", 0.01, {}}, {"adam", 0.01, {}}}, 50);
  const ContourFigure figure = contour_figure(paths);
  ASSERT_EQ(figure.paths.size(), 3u);
  EXPECT_EQ(figure.paths[0].color, optimizer_color("adam"));
  EXPECT_EQ(figure.paths[1].color, optimizer_color("sgd"));
  EXPECT_EQ(figure.paths[0].label, "adam lr 0.1");
  EXPECT_EQ(figure.paths[0].x, paths.paths[0].x);
  EXPECT_EQ(figure.paths[0].style, SeriesStyle::line);
  EXPECT_EQ(figure.paths[2].style, SeriesStyle::dashed);  // adam again
  // Himmelblau's four minimizers and the start.
  std::size_t points = 0;
  for (const auto& s : figure.points) points += s.x.size();
  EXPECT_EQ(points, 5u);
  EXPECT_EQ(figure.points.back().x, std::vector<double>{0.0});
}

}  // namespace
}  // namespace descent

namespace descent {
namespace {

// Every method of the registry has a colour, and the quasi-Newton ones each
// their own, apart from the first-order palette.
TEST(OptimizerColors, EveryMethodHasOneAndTheQuasiNewtonOnesAreDistinct) {
  std::set<std::string> quasi_newton;
  for (const std::string& name : quasi_newton_names()) {
    EXPECT_NE(optimizer_color(name), "#000000") << name;
    EXPECT_TRUE(quasi_newton.insert(optimizer_color(name)).second) << name;
  }
  for (const std::string& name : optimizer_names()) {
    EXPECT_NE(optimizer_color(name), "#000000") << name;
    EXPECT_FALSE(quasi_newton.contains(optimizer_color(name))) << name;
  }
}

}  // namespace
}  // namespace descent

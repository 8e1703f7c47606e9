#include "minimize_command.hpp"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/experiment/optimizer_paths.hpp"
#include "descent/experiment/plot_file.hpp"
#include "descent/optim/minimize.hpp"
#include "descent/optim/registry.hpp"
#include "descent/optim/schedule.hpp"
#include "descent/optim/test_functions.hpp"
#include "optimizer_flags.hpp"
#include "schedule_flags.hpp"

namespace descent::cli {

namespace {

// The line-search methods' settings (--optimizer lbfgs or cg).
struct LineSearchArgs {
  LbfgsConfig lbfgs;
  ConjugateGradientConfig cg;
  LineSearchMinimizerConfig minimizer;
  std::string line_search = "strong-wolfe";
  std::optional<double> c2;  // unset: 0.9 for lbfgs, 0.1 for cg (N&W, Section 5.2)
};

struct MinimizeArgs {
  std::string function = "rosenbrock";
  std::size_t dim = 0;
  double kappa = 0;
  std::vector<double> start;
  std::size_t steps = 1000;
  std::string trace;
  std::string plot;
  std::vector<std::string> compare;  // OPT or OPT:LR
  OptimizerArgs optimizer;
  ScheduleArgs schedule;
  LineSearchArgs line_search;
};

std::string point_text(std::span<const double> x) {
  std::string text = "(";
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (i == 6 && x.size() > 8) {
      text += ", ...";
      break;
    }
    text += (i ? ", " : "") + shortest(x[i]);
  }
  return text + ")";
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

// The config of --optimizer lbfgs or cg, from the flags.
LineSearchMinimizerConfig line_search_config(const LineSearchArgs& args, const std::string& method,
                                             std::size_t steps) {
  LineSearchMinimizerConfig config = args.minimizer;
  config.line_search.kind = line_search_kind(args.line_search);
  config.line_search.c2 = args.c2.value_or(method == "cg" ? 0.1 : 0.9);
  config.stopping.max_iterations = steps;
  config.validate();
  return config;
}

// One point per iteration of a line-search method, for the contour plot.
OptimizerPath line_search_path(const TestFunction& function, const std::string& method,
                               const LineSearchArgs& args, std::size_t steps,
                               const std::vector<double>& start) {
  OptimizerPath path{method, 0, 0, {}, {}, {}, false};
  auto direction = make_search_direction(method, args.lbfgs, args.cg);
  std::vector<double> x = start;
  const SearchResult result = minimize_with_line_search(
      function, *direction, x, line_search_config(args, method, steps),
      [&](const IterationReport<double>& report) {
        path.x.push_back(report.x[0]);
        path.y.push_back(report.x[1]);
        path.f.push_back(report.f);
      });
  path.steps = result.iterations;
  return path;
}

// The flags of the plot, checked before the run so that a mistake costs no time.
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

void print_point(const TestFunction& function, double f, std::span<const double> x) {
  std::cout << "f = " << shortest(f) << " at x = " << point_text(x) << "\n";
  if (function.minimizers().empty()) {
    std::cout << "no minimizer: " << function.name() << " is unbounded below\n";
  } else {
    std::cout << "distance to the minimizer: " << shortest(function.distance_to_minimizer(x))
              << " (minimum " << shortest(function.minimum()) << ")\n";
  }
}

// The contour plot: `path` (if any) and the --compare runs.
void save_plot(const MinimizeArgs& args, const TestFunction& function,
               std::optional<OptimizerPath> path, const std::vector<double>& start) {
  OptimizerPaths paths = trace_paths(args.function, {}, args.steps, start);
  if (path) add_path(paths, std::move(*path));
  const auto compared = trace_paths(args.function, compared_runs(args.compare), args.steps, start);
  for (const auto& p : compared.paths) add_path(paths, p);
  for (const auto& method : compared_line_search_methods(args.compare)) {
    add_path(paths, line_search_path(function, method, args.line_search, args.steps, start));
  }
  save_contour(contour_figure(paths), args.plot);
}

// --optimizer lbfgs or cg: one trace row per iteration, with the evaluations.
int run_line_search(const MinimizeArgs& args, const TestFunction& function,
                    const std::vector<double>& start) {
  const std::string& method = args.optimizer.name;
  if (!std::isnan(args.optimizer.learning_rate)) {
    throw ConfigError("--lr: " + method + " chooses its own steps by line search");
  }
  const LineSearchMinimizerConfig config = line_search_config(args.line_search, method, args.steps);
  auto direction = make_search_direction(method, args.line_search.lbfgs, args.line_search.cg);
  std::string trace = "iteration,evaluations,f,gradient_norm,step";
  for (std::size_t i = 0; i < function.dim(); ++i) trace += ",x" + std::to_string(i);
  trace += "\n";
  const auto on_iteration = [&](const IterationReport<double>& report) {
    if (args.trace.empty()) return;
    trace += std::to_string(report.iteration) + "," + std::to_string(report.evaluations) + "," +
             shortest(report.f) + "," + shortest(report.gradient_norm) + "," +
             shortest(report.step);
    for (double v : report.x) trace += "," + shortest(v);
    trace += "\n";
  };
  std::vector<double> x = start;
  const SearchResult result =
      minimize_with_line_search(function, *direction, x, config, on_iteration);
  if (!args.trace.empty()) write_file_atomic(args.trace, trace);
  if (!args.plot.empty()) {
    save_plot(args, function, line_search_path(function, method, args.line_search, args.steps, start),
              start);
  }
  std::cout << function.name() << " (" << function.dim() << "-D), " << method;
  if (method == "lbfgs") std::cout << " m " << args.line_search.lbfgs.history;
  std::cout << ", " << to_string(config.line_search.kind) << " line search, "
            << result.iterations << " iterations, " << result.evaluations << " evaluations\n";
  print_point(function, result.f, x);
  std::cout << "stopped by " << to_string(result.reason) << ": " << result.message << "\n";
  if (result.reason == StopReason::line_search_failed || result.reason == StopReason::not_finite) {
    std::cerr << "descent: " << method << " failed: " << result.message << "\n";
    return 3;
  }
  return 0;
}

int run_first_order(const MinimizeArgs& args, const TestFunction& function,
                    const std::vector<double>& start) {
  const double lr = resolved_learning_rate(args.optimizer);
  auto optimizer = make_optimizer<double>(args.optimizer.name, args.optimizer.options);
  optimizer->set_clipping(args.optimizer.clipping);
  Schedule schedule(resolve(args.schedule), lr);

  std::string trace;
  if (!args.trace.empty()) {
    trace = "step,f";
    for (std::size_t i = 0; i < function.dim(); ++i) trace += ",x" + std::to_string(i);
    trace += "\n";
  }
  OptimizerPath path{optimizer->name(), lr, 0, {}, {}, {}, false};
  const auto on_point = [&](std::size_t step, double f, std::span<const double> x) {
    if (schedule.config().kind == ScheduleKind::plateau && step > 0) schedule.observe(f);
    if (!args.plot.empty() && std::isfinite(f) && std::isfinite(x[0]) && std::isfinite(x[1])) {
      path.x.push_back(x[0]);
      path.y.push_back(x[1]);
      path.f.push_back(f);
    }
    if (args.trace.empty()) return;
    trace += std::to_string(step) + "," + shortest(f);
    for (double v : x) trace += "," + shortest(v);
    trace += "\n";
  };
  const MinimizeResult result = minimize(
      function, *optimizer, start, args.steps, [&](std::size_t t) { return schedule.lr(t); },
      on_point);
  if (!args.trace.empty()) write_file_atomic(args.trace, trace);
  if (!args.plot.empty()) {
    path.steps = result.steps;
    path.diverged = result.diverged;
    save_plot(args, function, std::move(path), start);
  }

  std::cout << function.name() << " (" << function.dim() << "-D), " << optimizer->name() << " lr "
            << shortest(lr) << ", " << result.steps << " steps\n";
  print_point(function, result.f, result.x);
  if (result.diverged) {
    std::cerr << "descent: diverged after " << result.steps
              << " steps: f or x is no longer finite (lower --lr)\n";
    return 3;
  }
  return 0;
}

int run_minimize(const MinimizeArgs& args) {
  const auto function = make_test_function(args.function, args.dim, args.kappa);
  check_plot_flags(args, *function);
  const std::vector<double> start = args.start.empty() ? function->start() : args.start;
  if (is_line_search_method(args.optimizer.name)) return run_line_search(args, *function, start);
  return run_first_order(args, *function, start);
}

void add_line_search_flags(CLI::App& command, LineSearchArgs& args) {
  command.add_option("--history", args.lbfgs.history, "lbfgs: pairs (s, y) kept, m >= 1")
      ->capture_default_str();
  command.add_option("--restart-every", args.cg.restart_every,
                     "cg: iterations between restarts (0: the dimension)")
      ->capture_default_str();
  command.add_option("--line-search", args.line_search,
                     "lbfgs, cg: strong-wolfe (N&W Algorithms 3.5-3.6) or backtracking (Armijo)")
      ->capture_default_str();
  LineSearchConfig& line = args.minimizer.line_search;
  command.add_option("--c1", line.c1, "lbfgs, cg: sufficient-decrease constant, 0 < c1 < 0.5")
      ->capture_default_str();
  command
      .add_option_function<double>(
          "--c2", [&args](const double& c2) { args.c2 = c2; },
          "lbfgs, cg: curvature constant of the strong Wolfe conditions, c1 < c2 < 1")
      ->default_str("lbfgs 0.9, cg 0.1");
  command.add_option("--max-line-evaluations", line.max_evaluations,
                     "lbfgs, cg: evaluations one line search may make")
      ->capture_default_str();
  StoppingConfig& stop = args.minimizer.stopping;
  command.add_option("--gradient-tolerance", stop.gradient_tolerance,
                     "lbfgs, cg: stop when ||g|| <= this * max(1, ||x||)")
      ->capture_default_str();
  command.add_option("--f-tolerance", stop.f_tolerance,
                     "lbfgs, cg: stop when the relative decrease of f is <= this")
      ->capture_default_str();
  command.add_option("--max-evaluations", stop.max_evaluations,
                     "lbfgs, cg: evaluations of f and its gradient in all")
      ->capture_default_str();
}

}  // namespace

void add_minimize_command(CLI::App& app) {
  auto args = std::make_shared<MinimizeArgs>();
  CLI::App* command = app.add_subcommand("minimize", "Run an optimizer on a test function");
  std::string names;
  for (const auto& name : test_function_names()) names += (names.empty() ? "" : ", ") + name;
  command->add_option("--function", args->function, "Test function: " + names)
      ->capture_default_str();
  command
      ->add_option("--dim", args->dim,
                   "Dimensions (rosenbrock, sphere, rastrigin, extended_rosenbrock, quadratic)")
      ->default_str("2");
  command->add_option("--kappa", args->kappa, "quadratic: condition number, >= 1")
      ->default_str(shortest(default_quadratic_kappa));
  command->add_option("--start", args->start, "Start point x0,x1,... (write --start=-1,2)")
      ->delimiter(',')
      ->default_str("the function's usual start");
  command
      ->add_option("--steps", args->steps,
                   "Updates to make (lbfgs, cg: the most iterations, and fewer on convergence)")
      ->capture_default_str();
  command->add_option("--trace", args->trace, "Write step,f,x0,x1,... for steps 0..N to this CSV");
  command->add_option("--plot", args->plot,
                      "Draw the path on the function's contour plot (2-D): FILE.png or FILE.svg");
  command
      ->add_option("--compare", args->compare,
                   "With --plot, add the paths of OPT[:LR],OPT[:LR],... (LR: their default; "
                   "lbfgs and cg take none)")
      ->delimiter(',');
  add_optimizer_flags(*command, args->optimizer);
  add_schedule_flags(*command, args->schedule);
  add_line_search_flags(*command, args->line_search);
  command->final_callback([args] {
    const int code = run_minimize(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

// `descent minimize --optimizer lbfgs|cg`: the line-search methods' flags and
// run, with one trace row per iteration and the evaluations so far.
#include <cmath>
#include <iostream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "minimize_parts.hpp"

namespace descent::cli {

namespace {

// The config of --optimizer lbfgs or cg, from the flags.
LineSearchMinimizerConfig line_search_config(const LineSearchArgs& args, const std::string& method,
                                             std::size_t steps) {
  if (steps < 1) throw ConfigError("--steps: " + method + " needs at least 1 iteration, got 0");
  LineSearchMinimizerConfig config = args.minimizer;
  config.line_search.kind = line_search_kind(args.line_search);
  config.line_search.c2 = args.c2.value_or(method == "cg" ? 0.1 : 0.9);
  config.stopping.max_iterations = steps;
  config.validate();
  return config;
}

}  // namespace

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

}  // namespace descent::cli

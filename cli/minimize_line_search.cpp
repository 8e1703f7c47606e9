// `descent minimize --optimizer lbfgs|cg`: the run of a line-search method,
// built by the registry from the optimizer flags as `descent train` builds
// it, with one trace row per iteration and the evaluations so far; and the
// flags of its stopping rules.
#include <cmath>
#include <iostream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/registry.hpp"
#include "minimize_parts.hpp"

namespace descent::cli {

namespace {

// The loop's config: the method's line search, and the stopping rules with
// --steps iterations at most.
LineSearchMinimizerConfig minimizer_config(const LineSearchConfig& line_search,
                                           const MinimizeArgs& args, const std::string& method) {
  if (args.steps < 1) {
    throw ConfigError("--steps: " + method + " needs at least 1 iteration, got 0");
  }
  LineSearchMinimizerConfig config{line_search, args.stopping};
  config.stopping.max_iterations = args.steps;
  config.validate();
  return config;
}

}  // namespace

OptimizerPath line_search_path(const TestFunction& function, const std::string& method,
                               const MinimizeArgs& args, const std::vector<double>& start) {
  OptimizerPath path{method, 0, 0, {}, {}, {}, false};
  const LineSearchParts<double> search =
      make_line_search_parts<double>(method, options_taken_by(method, args.optimizer.options));
  std::vector<double> x = start;
  const SearchResult result = minimize_with_line_search(
      function, *search.direction, x, minimizer_config(search.line_search, args, method),
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
  const LineSearchParts<double> search =
      make_line_search_parts<double>(method, args.optimizer.options);
  const LineSearchMinimizerConfig config = minimizer_config(search.line_search, args, method);
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
      minimize_with_line_search(function, *search.direction, x, config, on_iteration);
  if (!args.trace.empty()) write_file_atomic(args.trace, trace);
  if (!args.plot.empty()) {
    save_plot(args, function, line_search_path(function, method, args, start), start);
  }
  std::cout << function.name() << " (" << function.dim() << "-D), " << method;
  if (method == "lbfgs") {
    std::cout << " m "
              << method_config<LineSearchSettings<LbfgsConfig>>(method, args.optimizer.options)
                     .direction.history;
  }
  std::cout << ", " << to_string(config.line_search.kind) << " line search, " << result.iterations
            << " iterations, " << result.evaluations << " evaluations\n";
  print_point(function, result.f, x);
  std::cout << "stopped by " << to_string(result.reason) << ": " << result.message << "\n";
  if (result.reason == StopReason::line_search_failed || result.reason == StopReason::not_finite) {
    std::cerr << "descent: " << method << " failed: " << result.message << "\n";
    return 3;
  }
  return 0;
}

void add_stopping_flags(CLI::App& command, StoppingConfig& stop) {
  command
      .add_option("--gradient-tolerance", stop.gradient_tolerance,
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

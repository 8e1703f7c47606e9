// descent minimize --function logistic-sum: SFO on the sum of functions of its
// authors' reference runs, traced step by step.
#include <cmath>
#include <iostream>
#include <vector>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/logistic_sum.hpp"
#include "descent/optim/registry.hpp"
#include "minimize_parts.hpp"

namespace descent::cli {

namespace {

// The Euclidean norm of grad F, and F, at x.
double total_gradient_norm(SumOfFunctions& problem, std::span<const double> x, double& value) {
  std::vector<double> sum(problem.dim(), 0.0);
  std::vector<double> gradient(problem.dim());
  value = 0;
  for (std::size_t i = 0; i < problem.subfunctions(); ++i) {
    value += problem.evaluate(i, x, gradient);
    for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += gradient[k];
  }
  double squares = 0;
  for (double g : sum) squares += g * g;
  return std::sqrt(squares);
}

}  // namespace

bool is_sum_of_functions(const std::string& function) { return function == "logistic-sum"; }

int run_sum_of_functions(const MinimizeArgs& args) {
  const std::string& method = args.optimizer.name;
  if (optimizer_kind(method) != OptimizerKind::sum_of_functions) {
    throw ConfigError("optimizer: " + args.function +
                      " is a sum of functions, for --optimizer sfo; got '" + method + "'");
  }
  if (!std::isnan(args.optimizer.learning_rate)) {
    throw ConfigError("--lr: " + method + " chooses its own steps");
  }
  if (!args.plot.empty()) throw ConfigError("plot: " + args.function + " is not 2-D");
  const SfoSettings settings = sfo_settings(args.optimizer.options);
  LogisticSumConfig problem_config;
  if (args.dim > 0) problem_config.dim = args.dim;
  // The reference runs' N unless --subfunctions says otherwise.
  if (settings.partition.subfunctions > 0) {
    problem_config.subfunctions = settings.partition.count_for(problem_config.points);
  }
  LogisticSum problem(problem_config);
  std::vector<double> x = problem.start();
  if (!args.start.empty()) {
    if (args.start.size() != x.size()) {
      throw ShapeError("start: " + args.function + " has " + std::to_string(x.size()) +
                       " dimensions, --start gives " + std::to_string(args.start.size()));
    }
    x = args.start;
  }
  Sfo sfo(x, problem.subfunctions(), settings.sfo, settings.sfo.deterministic ? 0 : 1);

  std::string trace = "step,evaluations,passes,subfunction,rejected,f_j,F\n";
  double value = 0;
  total_gradient_norm(problem, sfo.x(), value);
  if (!args.trace.empty()) trace += "0,0,0,,,," + shortest(value) + "\n";
  for (std::size_t step = 1; step <= args.steps; ++step) {
    const SfoStepReport report = sfo.step(problem);
    if (args.trace.empty()) continue;
    total_gradient_norm(problem, sfo.x(), value);
    trace += std::to_string(step) + "," + std::to_string(sfo.evaluations()) + "," +
             shortest(sfo.passes()) + "," + std::to_string(report.subfunction) + "," +
             (report.rejected ? "1" : "0") + "," + shortest(report.value) + "," +
             shortest(value) + "\n";
  }
  if (!args.trace.empty()) write_file_atomic(args.trace, trace);
  const double gradient_norm = total_gradient_norm(problem, sfo.x(), value);
  std::cout << args.function << " (" << problem.dim() << "-D, " << problem_config.points
            << " points in " << problem.subfunctions() << " subfunctions), " << method << ", "
            << sfo.steps() << " steps, " << sfo.evaluations() << " evaluations ("
            << shortest(sfo.passes()) << " passes), " << sfo.rejections() << " rejected\n"
            << "F = " << shortest(value) << ", |grad F| = " << shortest(gradient_norm) << "\n";
  return 0;
}

}  // namespace descent::cli

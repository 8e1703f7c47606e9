// The parts of `descent minimize` (minimize_command.hpp), in four files:
//   minimize_command.cpp      its flags, and the run of a first-order optimizer
//   minimize_line_search.cpp  the flags and the run of lbfgs and cg
//   minimize_sum.cpp          sfo on a sum of functions (logistic-sum)
//   minimize_plot.cpp         the contour plot (--plot) and its other paths (--compare)
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "descent/experiment/optimizer_paths.hpp"
#include "descent/optim/minimize.hpp"
#include "optimizer_flags.hpp"
#include "schedule_flags.hpp"

namespace descent::cli {

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
  ScheduleConfig schedule;
  StoppingConfig stopping;  // lbfgs, cg (--steps sets max_iterations)
};

// "f = ... at x = ...", then the distance to the minimizer.
void print_point(const TestFunction& function, double f, std::span<const double> x);

// The stopping rules of lbfgs and cg.
void add_stopping_flags(CLI::App& command, StoppingConfig& stopping);
// --optimizer lbfgs or cg: the run, its trace and plot; the exit code.
int run_line_search(const MinimizeArgs& args, const TestFunction& function,
                    const std::vector<double>& start);
// The path of line-search method `method` from `start`, one point per
// iteration, with the options of args.optimizer it has.
OptimizerPath line_search_path(const TestFunction& function, const std::string& method,
                               const MinimizeArgs& args, const std::vector<double>& start);

// Whether `function` names a sum of functions rather than a test function.
bool is_sum_of_functions(const std::string& function);
// --function logistic-sum with --optimizer sfo: the run and its trace; the
// exit code.
int run_sum_of_functions(const MinimizeArgs& args);

// The flags of the plot, checked before the run so that a mistake costs no time.
void check_plot_flags(const MinimizeArgs& args, const TestFunction& function);
// The contour plot: `path` (if any) and the --compare runs.
void save_plot(const MinimizeArgs& args, const TestFunction& function,
               std::optional<OptimizerPath> path, const std::vector<double>& start);

}  // namespace descent::cli

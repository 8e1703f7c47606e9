#include "minimize_command.hpp"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>

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

struct MinimizeArgs {
  std::string function = "rosenbrock";
  std::size_t dim = 0;
  std::vector<double> start;
  std::size_t steps = 1000;
  std::string trace;
  std::string plot;
  std::vector<std::string> compare;  // OPT or OPT:LR
  OptimizerArgs optimizer;
  ScheduleArgs schedule;
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

// --compare's OPT[:LR] items; an LR left out is the optimizer's default.
std::vector<PathRun> compared_runs(const std::vector<std::string>& items) {
  std::vector<PathRun> runs;
  for (const auto& item : items) {
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

int run_minimize(const MinimizeArgs& args) {
  const auto function = make_test_function(args.function, args.dim);
  check_plot_flags(args, *function);
  const std::vector<double> start = args.start.empty() ? function->start() : args.start;
  const double lr = resolved_learning_rate(args.optimizer);
  auto optimizer = make_optimizer<double>(args.optimizer.name, args.optimizer.options);
  optimizer->set_clipping(args.optimizer.clipping);
  Schedule schedule(resolve(args.schedule), lr);

  std::string trace;
  if (!args.trace.empty()) {
    trace = "step,f";
    for (std::size_t i = 0; i < function->dim(); ++i) trace += ",x" + std::to_string(i);
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
      *function, *optimizer, start, args.steps, [&](std::size_t t) { return schedule.lr(t); },
      on_point);
  if (!args.trace.empty()) write_file_atomic(args.trace, trace);
  if (!args.plot.empty()) {
    path.steps = result.steps;
    path.diverged = result.diverged;
    OptimizerPaths paths = trace_paths(args.function, {}, args.steps, start);
    add_path(paths, std::move(path));
    const auto compared =
        trace_paths(args.function, compared_runs(args.compare), args.steps, start);
    for (const auto& p : compared.paths) add_path(paths, p);
    save_contour(contour_figure(paths), args.plot);
  }

  std::cout << function->name() << " (" << function->dim() << "-D), " << optimizer->name() << " lr "
            << shortest(lr) << ", " << result.steps << " steps\n"
            << "f = " << shortest(result.f) << " at x = " << point_text(result.x) << "\n";
  if (function->minimizers().empty()) {
    std::cout << "no minimizer: " << function->name() << " is unbounded below\n";
  } else {
    std::cout << "distance to the minimizer: "
              << shortest(function->distance_to_minimizer(result.x)) << " (minimum "
              << shortest(function->minimum()) << ")\n";
  }
  if (result.diverged) {
    std::cerr << "descent: diverged after " << result.steps
              << " steps: f or x is no longer finite (lower --lr)\n";
    return 3;
  }
  return 0;
}

}  // namespace

void add_minimize_command(CLI::App& app) {
  auto args = std::make_shared<MinimizeArgs>();
  CLI::App* command = app.add_subcommand("minimize", "Run an optimizer on a test function");
  std::string names;
  for (const auto& name : test_function_names()) names += (names.empty() ? "" : ", ") + name;
  command->add_option("--function", args->function, "Test function: " + names)
      ->capture_default_str();
  command->add_option("--dim", args->dim, "Dimensions (rosenbrock, sphere, rastrigin)")
      ->default_str("2");
  command->add_option("--start", args->start, "Start point x0,x1,... (write --start=-1,2)")
      ->delimiter(',')
      ->default_str("the function's usual start");
  command->add_option("--steps", args->steps, "Updates to make")->capture_default_str();
  command->add_option("--trace", args->trace, "Write step,f,x0,x1,... for steps 0..N to this CSV");
  command->add_option("--plot", args->plot,
                      "Draw the path on the function's contour plot (2-D): FILE.png or FILE.svg");
  command
      ->add_option("--compare", args->compare,
                   "With --plot, add the paths of OPT[:LR],OPT[:LR],... (LR: their default)")
      ->delimiter(',');
  add_optimizer_flags(*command, args->optimizer);
  add_schedule_flags(*command, args->schedule);
  command->final_callback([args] {
    const int code = run_minimize(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

#include "minimize_command.hpp"

#include <iostream>
#include <memory>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
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

int run_minimize(const MinimizeArgs& args) {
  const auto function = make_test_function(args.function, args.dim);
  std::vector<double> start = args.start.empty() ? function->start() : args.start;
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
  const auto on_point = [&](std::size_t step, double f, std::span<const double> x) {
    if (schedule.config().kind == ScheduleKind::plateau && step > 0) schedule.observe(f);
    if (args.trace.empty()) return;
    trace += std::to_string(step) + "," + shortest(f);
    for (double v : x) trace += "," + shortest(v);
    trace += "\n";
  };
  const MinimizeResult result = minimize(
      *function, *optimizer, std::move(start), args.steps,
      [&](std::size_t t) { return schedule.lr(t); }, on_point);
  if (!args.trace.empty()) write_file_atomic(args.trace, trace);

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
  add_optimizer_flags(*command, args->optimizer);
  add_schedule_flags(*command, args->schedule);
  command->final_callback([args] {
    const int code = run_minimize(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

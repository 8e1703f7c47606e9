#include "minimize_command.hpp"

#include <cmath>
#include <iostream>
#include <memory>

#include "descent/core/atomic_file.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/registry.hpp"
#include "descent/optim/schedule.hpp"
#include "minimize_parts.hpp"

namespace descent::cli {

namespace {

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

}  // namespace

void print_point(const TestFunction& function, double f, std::span<const double> x) {
  std::cout << "f = " << shortest(f) << " at x = " << point_text(x) << "\n";
  if (function.minimizers().empty()) {
    std::cout << "no minimizer: " << function.name() << " is unbounded below\n";
  } else {
    std::cout << "distance to the minimizer: " << shortest(function.distance_to_minimizer(x))
              << " (minimum " << shortest(function.minimum()) << ")\n";
  }
}

namespace {

int run_first_order(const MinimizeArgs& args, const TestFunction& function,
                    const std::vector<double>& start) {
  const double lr = resolved_learning_rate(args.optimizer);
  auto optimizer = make_optimizer<double>(args.optimizer.name, args.optimizer.options);
  optimizer->set_clipping(args.optimizer.clipping);
  Schedule schedule(args.schedule, lr);

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
  if (is_sum_of_functions(args.function)) return run_sum_of_functions(args);
  const auto function = make_test_function(args.function, args.dim, args.kappa);
  check_plot_flags(args, *function);
  const std::vector<double> start = args.start.empty() ? function->start() : args.start;
  if (optimizer_kind(args.optimizer.name) == OptimizerKind::line_search) {
    return run_line_search(args, *function, start);
  }
  return run_first_order(args, *function, start);
}

}  // namespace

void add_minimize_command(CLI::App& app) {
  auto args = std::make_shared<MinimizeArgs>();
  CLI::App* command = app.add_subcommand("minimize", "Run an optimizer on a test function");
  std::string names;
  for (const auto& name : test_function_names()) names += (names.empty() ? "" : ", ") + name;
  command
      ->add_option("--function", args->function,
                   "Test function: " + names +
                       "; or logistic-sum, SFO's sum of functions (--optimizer sfo)")
      ->capture_default_str();
  command
      ->add_option("--dim", args->dim,
                   "Dimensions (rosenbrock, sphere, rastrigin, extended_rosenbrock, quadratic, "
                   "logistic-sum: 50)")
      ->default_str("2");
  command->add_option("--kappa", args->kappa, "quadratic: condition number, >= 1")
      ->default_str(shortest(default_quadratic_kappa));
  command->add_option("--start", args->start, "Start point x0,x1,... (write --start=-1,2)")
      ->delimiter(',')
      ->default_str("the function's usual start");
  command
      ->add_option("--steps", args->steps,
                   "Updates to make (lbfgs, cg: the most iterations, and fewer on convergence; "
                   "sfo: one subfunction each)")
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
  add_stopping_flags(*command, args->stopping);
  command->final_callback([args] {
    const int code = run_minimize(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

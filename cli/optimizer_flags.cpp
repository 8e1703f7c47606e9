#include "optimizer_flags.hpp"

#include <cmath>

namespace descent::cli {

namespace {

// An option whose value lands in a std::optional only when given.
template <typename V>
void add_optional(CLI::App& app, const std::string& flag, std::optional<V>& target,
                  const std::string& help, const std::string& default_text) {
  app.add_option_function<V>(
         flag, [&target](const V& value) { target = value; }, help)
      ->default_str(default_text);
}

}  // namespace

void add_optimizer_flags(CLI::App& app, OptimizerArgs& args) {
  std::string names;
  for (const auto& name : optimizer_names()) names += (names.empty() ? "" : ", ") + name;
  app.add_option("--optimizer", args.name,
                 "Optimizer: " + names +
                     " (sgd_momentum = momentum); descent train also takes lbfgs, cg (line "
                     "searches, full or large batch) and olbfgs (online L-BFGS)")
      ->capture_default_str();
  app.add_option("--lr", args.learning_rate, "Learning rate")
      ->default_str("the optimizer's: sgd 5e-3, momentum 5e-3, rmsprop 1e-4, adam 1e-3");
  OptimizerOptions& o = args.options;
  add_optional(app, "--momentum", o.momentum, "Momentum mu (momentum, nesterov, rmsprop)",
               "0.9; rmsprop 0");
  add_optional(app, "--momentum-convention", o.convention,
               "notes: v = mu v - lr dw, w += v; torch: buf = mu buf + (1 - dampening) dw, "
               "w -= lr buf",
               "notes");
  add_optional(app, "--dampening", o.dampening, "Dampening of the torch momentum convention", "0");
  add_optional(app, "--decay-rate", o.decay_rate, "RMSProp's cache decay", "0.99");
  add_optional(app, "--centered", o.centered, "RMSProp: divide by the centered variance", "false");
  add_optional(app, "--beta1", o.beta1, "First-moment decay (Adam family, Lion)", "0.9");
  add_optional(app, "--beta2", o.beta2, "Second-moment decay (Adam family; Lion 0.99)", "0.999");
  add_optional(app, "--eps", o.eps,
               "Term added to the denominator; olbfgs: scale of the first step, -eps lr g",
               "1e-8; adadelta 1e-6; olbfgs 1e-4");
  add_optional(app, "--weight-decay", o.weight_decay,
               "L2 added to the gradient; decoupled for adamw and lion", "0; adamw 1e-2");
  add_optional(app, "--rho", o.rho, "AdaDelta's decay", "0.9");
  add_optional(app, "--momentum-decay", o.momentum_decay, "NAdam's psi", "4e-3");
  app.add_option("--clip-norm", args.clipping.max_norm,
                 "Scale gradients to this global L2 norm at most (0: off)")
      ->capture_default_str();
  app.add_option("--clip-value", args.clipping.max_value, "Clamp each gradient to [-v, v] (0: off)")
      ->capture_default_str();
}

void add_quasi_newton_flags(CLI::App& app, OptimizerOptions& o) {
  add_optional(app, "--history", o.history, "lbfgs, olbfgs: pairs (s, y) kept, m >= 1", "10");
  add_optional(app, "--lambda", o.lambda, "olbfgs: damping, y = g' - g + lambda s, >= 0", "0");
  add_optional(app, "--tau", o.tau, "olbfgs: gain schedule lr_t = tau / (tau + t) lr, > 0", "1e4");
  add_optional(app, "--step-divisor", o.step_divisor, "olbfgs: c in s = (lr_t / c) p, > 0", "1");
}

double resolved_learning_rate(const OptimizerArgs& args) {
  return std::isnan(args.learning_rate) ? default_learning_rate(args.name) : args.learning_rate;
}

}  // namespace descent::cli

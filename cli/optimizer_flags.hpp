// The optimizer's flags, shared by `descent train` and `descent minimize`:
// --optimizer, --lr and each hyperparameter. A hyperparameter left unset takes
// the optimizer's own default.
#pragma once

#include <CLI/CLI.hpp>
#include <limits>
#include <string>

#include "descent/optim/optimizer.hpp"
#include "descent/optim/registry.hpp"

namespace descent::cli {

struct OptimizerArgs {
  std::string name = "sgd";
  double learning_rate = std::numeric_limits<double>::quiet_NaN();  // NaN: the optimizer's
  OptimizerOptions options;
  Clipping clipping;
};

void add_optimizer_flags(CLI::App& app, OptimizerArgs& args);
// The settings of the quasi-Newton methods that train networks (lbfgs, cg,
// olbfgs): --history, --lambda, --tau, --step-divisor.
void add_quasi_newton_flags(CLI::App& app, OptimizerOptions& options);

// The learning rate given, or the optimizer's default.
double resolved_learning_rate(const OptimizerArgs& args);

}  // namespace descent::cli

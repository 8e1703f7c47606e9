// The optimizer's flags, shared by every command that trains and by
// `descent minimize`: --optimizer, --lr, one flag per option of the table
// (optim/optimizer_options.hpp), --clip-norm and --clip-value. An option left
// unset takes the optimizer's own default.
#pragma once

#include <CLI/CLI.hpp>
#include <limits>
#include <string>

#include "descent/optim/optimizer.hpp"
#include "descent/optim/registry.hpp"

namespace descent::cli {

// The --help section of these flags.
inline const std::string kOptimizerFlags = "Optimizer";

struct OptimizerArgs {
  std::string name = "sgd";
  double learning_rate = std::numeric_limits<double>::quiet_NaN();  // NaN: the optimizer's
  OptimizerOptions options;
  Clipping clipping;
};

void add_optimizer_flags(CLI::App& app, OptimizerArgs& args);

// The learning rate given, or the optimizer's default.
double resolved_learning_rate(const OptimizerArgs& args);

}  // namespace descent::cli

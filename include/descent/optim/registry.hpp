// Optimizers by name, as the command line and config files select them, with
// their hyperparameters given as options: an option left unset takes the
// optimizer's own default, and an option the optimizer does not have is an
// error that names it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent {

struct OptimizerOptions {
  std::optional<double> momentum;         // --momentum (mu)
  std::optional<double> dampening;        // --dampening (PyTorch convention only)
  std::optional<std::string> convention;  // --momentum-convention: "notes" or "torch"
  std::optional<double> decay_rate;       // --decay-rate (RMSProp's cache decay)
  std::optional<bool> centered;           // --centered (RMSProp)
  std::optional<double> beta1;            // --beta1
  std::optional<double> beta2;            // --beta2
  std::optional<double> eps;              // --eps
  std::optional<double> weight_decay;     // --weight-decay
  std::optional<double> rho;              // --rho (AdaDelta)
  std::optional<double> momentum_decay;   // --momentum-decay (NAdam's psi)
};

// Every name make_optimizer accepts, in the order --help lists them.
const std::vector<std::string>& optimizer_names();

// The learning rate each optimizer starts from when none is given (the cs231n
// notes' comparison: sgd 5e-3, momentum 5e-3, rmsprop 1e-4, adam 1e-3).
double default_learning_rate(const std::string& name);

// The optimizer selected by `name` ("sgd_momentum" is accepted for
// "momentum"); ConfigError listing the known names if there is none, or
// naming an option it does not take.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name,
                                             const OptimizerOptions& options = {});

}  // namespace descent

// Optimizers by name, as the command line and config files select them, with
// their hyperparameters given as options: an option left unset takes the
// optimizer's own default, and an option the optimizer does not have is an
// error that names it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "descent/optim/line_search.hpp"
#include "descent/optim/online_lbfgs.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/search_direction.hpp"

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
  std::optional<std::size_t> history;     // --history (lbfgs's and olbfgs's m)
  std::optional<double> lambda;           // --lambda (olbfgs's damping)
  std::optional<double> tau;              // --tau (olbfgs's gain schedule)
  std::optional<double> step_divisor;     // --step-divisor (olbfgs's c)
};

// Every name make_optimizer accepts, in the order --help lists them.
const std::vector<std::string>& optimizer_names();

// How an optimizer trains a network: the trainer has a loop for each kind.
enum class OptimizerKind {
  first_order,   // make_optimizer's: one step per minibatch gradient
  line_search,   // "lbfgs", "cg": line searches on the full training set or
                 // large batches (line_search_iteration.hpp)
  online_lbfgs,  // "olbfgs": two gradients per minibatch (online_lbfgs.hpp)
};
// ConfigError listing every name for an unknown one.
OptimizerKind optimizer_kind(const std::string& name);
// The names of the kinds other than first_order, in the order --help lists them.
const std::vector<std::string>& quasi_newton_names();

// ConfigError for an unknown name, an option the optimizer does not take, or
// a value out of range, whatever the optimizer's kind.
void check_optimizer(const std::string& name, const OptimizerOptions& options);

// The search direction and line search of "lbfgs" (strong Wolfe, c2 = 0.9) or
// "cg" (strong Wolfe, c2 = 0.1, N&W Section 5.2, restarted every n iterations).
template <typename T>
std::unique_ptr<SearchDirection<T>> make_line_search_direction(const std::string& name,
                                                               const OptimizerOptions& options);
LineSearchConfig line_search_config(const std::string& name);
OnlineLbfgsConfig online_lbfgs_config(const OptimizerOptions& options);

// The learning rate each optimizer starts from when none is given (the cs231n
// notes' comparison: sgd 5e-3, momentum 5e-3, rmsprop 1e-4, adam 1e-3; olbfgs
// 0.1 as eta_0; lbfgs and cg 1, unused: their line searches set the steps).
double default_learning_rate(const std::string& name);

// The optimizer selected by `name` ("sgd_momentum" is accepted for
// "momentum"); ConfigError listing the known names if there is none, or
// naming an option it does not take.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name,
                                             const OptimizerOptions& options = {});

}  // namespace descent

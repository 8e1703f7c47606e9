// The registry of methods: every optimizer the command line and config files
// select by name, first-order or quasi-Newton, as one entry with its kind,
// default learning rate and options. Options are given by name
// (optimizer_options.hpp, where each is declared once); one left out takes
// the method's default, one the method does not have is an error naming it.
//
// A new method is one entry in registry.cpp (and its options' members in
// optimizer_options.cpp). A new kind is a value of OptimizerKind, an entry
// maker in registry.cpp, and the function that builds what the trainer needs
// from the method's config (as online_lbfgs_config does, by method_config).
#pragma once

#include <any>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/optim/line_search.hpp"
#include "descent/optim/online_lbfgs.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/search_direction.hpp"
#include "descent/optim/sfo.hpp"

namespace descent {

// How a method trains a network: the trainer has a way of iterating for each.
enum class OptimizerKind {
  first_order,   // make_optimizer's: one step per minibatch gradient
  line_search,   // "lbfgs", "cg": line searches on the full training set or
                 // large batches (make_line_search_parts)
  online_lbfgs,  // "olbfgs": two gradients per minibatch (online_lbfgs.hpp)
  sum_of_functions,  // "sfo": one subfunction, a fixed minibatch, per step (sfo.hpp)
};
// "first-order", "line-search", "online-lbfgs", "sum-of-functions".
std::string to_string(OptimizerKind kind);

struct MethodInfo {
  std::string name;
  OptimizerKind kind;
  double default_learning_rate;
  std::vector<OptionInfo> options;  // in the order of optimizer_option_table()
};

// Every method, in the order --help lists them: the first-order optimizers,
// then lbfgs, cg, olbfgs and sfo.
const std::vector<MethodInfo>& optimizer_methods();
// The method `name` ("sgd_momentum" is accepted for "momentum"); ConfigError
// listing every name for an unknown one.
const MethodInfo& method_info(const std::string& name);

// The names of the first-order methods (make_optimizer's), in order.
const std::vector<std::string>& optimizer_names();
// The names of the other kinds, in order.
const std::vector<std::string>& quasi_newton_names();
// ConfigError listing every name for an unknown one.
OptimizerKind optimizer_kind(const std::string& name);

// The learning rate each method starts from when none is given (the cs231n
// notes' comparison: sgd 5e-3, momentum 5e-3, rmsprop 1e-4, adam 1e-3; olbfgs
// 0.1 as eta_0; lbfgs, cg and sfo 1, unused: they set their own steps).
double default_learning_rate(const std::string& name);

// ConfigError for an unknown name, an option the method does not take, or a
// value of the wrong type or out of range, whatever the method's kind.
void check_optimizer(const std::string& name, const OptimizerOptions& options);

// The options among `options` that method `name` takes: one set of flags
// given to several methods (descent compare). ConfigError for an unknown name.
OptimizerOptions options_taken_by(const std::string& name, const OptimizerOptions& options);

// The settings of method `name`: its defaults with `options` read over them,
// validated, as the method's config struct (AdamConfig for "adam",
// OnlineLbfgsConfig for "olbfgs", LineSearchSettings<LbfgsConfig> for "lbfgs").
// The errors of check_optimizer.
std::any read_method_config(const std::string& name, const OptimizerOptions& options);
// The same as Config; ConfigError if Config is not the method's config struct.
template <typename Config>
Config method_config(const std::string& name, const OptimizerOptions& options) {
  const std::any config = read_method_config(name, options);
  if (const auto* typed = std::any_cast<Config>(&config)) return *typed;
  throw ConfigError("optimizer: '" + name + "' is configured by another struct");
}

// The first-order method `name` ("sgd_momentum" is accepted for "momentum");
// ConfigError listing the known names if there is none, for a method of
// another kind, or naming an option it does not take.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name,
                                             const OptimizerOptions& options = {});

// A line-search method's settings: its direction's and its line search's.
template <typename DirectionConfig>
struct LineSearchSettings {
  DirectionConfig direction;
  LineSearchConfig line_search;
};

// What a line-search method iterates with: "lbfgs" (strong Wolfe, c2 = 0.9)
// or "cg" (strong Wolfe, c2 = 0.1, N&W Section 5.2), each with its options.
// `descent minimize` and the trainer both build theirs here.
template <typename T>
struct LineSearchParts {
  std::unique_ptr<SearchDirection<T>> direction;
  LineSearchConfig line_search;
};
// ConfigError for a method of another kind, or as check_optimizer.
template <typename T>
LineSearchParts<T> make_line_search_parts(const std::string& name,
                                            const OptimizerOptions& options);
// Its two parts.
template <typename T>
std::unique_ptr<SearchDirection<T>> make_line_search_direction(const std::string& name,
                                                               const OptimizerOptions& options);
LineSearchConfig line_search_config(const std::string& name, const OptimizerOptions& options);

// The config of "olbfgs" with `options`.
OnlineLbfgsConfig online_lbfgs_config(const OptimizerOptions& options);

// SFO's settings: the optimizer's and how the data is split into subfunctions.
struct SfoSettings {
  SfoConfig sfo;
  SfoPartition partition;
};
// The settings of "sfo" with `options`.
SfoSettings sfo_settings(const OptimizerOptions& options);

// Whether the method sets its own steps (line searches, SFO), so that it runs
// once at its default rate, with a constant schedule, in a sweep.
bool chooses_own_steps(OptimizerKind kind);

}  // namespace descent

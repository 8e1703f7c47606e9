#include "descent/optim/registry.hpp"

#include <functional>
#include <map>

#include "descent/core/error.hpp"
#include "descent/optim/adadelta.hpp"
#include "descent/optim/adagrad.hpp"
#include "descent/optim/adam.hpp"
#include "descent/optim/adamax.hpp"
#include "descent/optim/adamw.hpp"
#include "descent/optim/amsgrad.hpp"
#include "descent/optim/conjugate_gradient.hpp"
#include "descent/optim/lbfgs.hpp"
#include "descent/optim/lion.hpp"
#include "descent/optim/momentum.hpp"
#include "descent/optim/nadam.hpp"
#include "descent/optim/nesterov.hpp"
#include "descent/optim/option_reader.hpp"
#include "descent/optim/radam.hpp"
#include "descent/optim/rmsprop.hpp"
#include "descent/optim/sgd.hpp"

namespace descent {

namespace {

template <typename T>
using Factory = std::function<std::unique_ptr<Optimizer<T>>(OptionReader&)>;

struct Entry {
  double default_lr;
  Factory<float> make_float;
  Factory<double> make_double;
};

// Registers optimizer `Opt<T>` built from a config that `read` fills in.
template <template <typename> class Opt, typename ReadConfig>
Entry entry(double default_lr, ReadConfig read) {
  return {default_lr,
          [read](OptionReader& r) -> std::unique_ptr<Optimizer<float>> {
            return std::make_unique<Opt<float>>(read(r));
          },
          [read](OptionReader& r) -> std::unique_ptr<Optimizer<double>> {
            return std::make_unique<Opt<double>>(read(r));
          }};
}

const std::vector<std::pair<std::string, Entry>>& entries() {
  static const std::vector<std::pair<std::string, Entry>> all = {
      {"sgd", entry<Sgd>(5e-3,
                         [](OptionReader& r) {
                           SgdConfig c;
                           c.weight_decay = r.get("weight-decay", &OptimizerOptions::weight_decay,
                                                  c.weight_decay);
                           return c;
                         })},
      {"momentum",
       entry<Momentum>(
           5e-3,
           [](OptionReader& r) {
             MomentumConfig c;
             c.momentum = r.get("momentum", &OptimizerOptions::momentum, c.momentum);
             c.dampening = r.get("dampening", &OptimizerOptions::dampening, c.dampening);
             c.convention = parse_momentum_convention(r.get(
                 "momentum-convention", &OptimizerOptions::convention, to_string(c.convention)));
             c.weight_decay =
                 r.get("weight-decay", &OptimizerOptions::weight_decay, c.weight_decay);
             return c;
           })},
      {"nesterov",
       entry<Nesterov>(
           5e-3,
           [](OptionReader& r) {
             NesterovConfig c;
             c.momentum = r.get("momentum", &OptimizerOptions::momentum, c.momentum);
             c.dampening = r.get("dampening", &OptimizerOptions::dampening, c.dampening);
             c.convention = parse_momentum_convention(r.get(
                 "momentum-convention", &OptimizerOptions::convention, to_string(c.convention)));
             c.weight_decay =
                 r.get("weight-decay", &OptimizerOptions::weight_decay, c.weight_decay);
             return c;
           })},
      {"adagrad", entry<Adagrad>(1e-2,
                                 [](OptionReader& r) {
                                   AdagradConfig c;
                                   c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                                   c.weight_decay =
                                       r.get("weight-decay", &OptimizerOptions::weight_decay,
                                             c.weight_decay);
                                   return c;
                                 })},
      {"rmsprop",
       entry<Rmsprop>(1e-4,
                      [](OptionReader& r) {
                        RmspropConfig c;
                        c.decay_rate =
                            r.get("decay-rate", &OptimizerOptions::decay_rate, c.decay_rate);
                        c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                        c.centered = r.get("centered", &OptimizerOptions::centered, c.centered);
                        c.momentum = r.get("momentum", &OptimizerOptions::momentum, c.momentum);
                        c.weight_decay =
                            r.get("weight-decay", &OptimizerOptions::weight_decay, c.weight_decay);
                        return c;
                      })},
      {"adadelta", entry<Adadelta>(1.0,
                                   [](OptionReader& r) {
                                     AdadeltaConfig c;
                                     c.rho = r.get("rho", &OptimizerOptions::rho, c.rho);
                                     c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                                     c.weight_decay =
                                         r.get("weight-decay", &OptimizerOptions::weight_decay,
                                               c.weight_decay);
                                     return c;
                                   })},
      {"adam", entry<Adam>(1e-3,
                           [](OptionReader& r) {
                             AdamConfig c;
                             c.beta1 = r.get("beta1", &OptimizerOptions::beta1, c.beta1);
                             c.beta2 = r.get("beta2", &OptimizerOptions::beta2, c.beta2);
                             c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                             c.weight_decay = r.get("weight-decay", &OptimizerOptions::weight_decay,
                                                    c.weight_decay);
                             return c;
                           })},
      {"adamw", entry<AdamW>(1e-3,
                             [](OptionReader& r) {
                               AdamWConfig c;
                               c.beta1 = r.get("beta1", &OptimizerOptions::beta1, c.beta1);
                               c.beta2 = r.get("beta2", &OptimizerOptions::beta2, c.beta2);
                               c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                               c.weight_decay = r.get(
                                   "weight-decay", &OptimizerOptions::weight_decay, c.weight_decay);
                               return c;
                             })},
      {"amsgrad", entry<Amsgrad>(1e-3,
                                 [](OptionReader& r) {
                                   AmsgradConfig c;
                                   c.beta1 = r.get("beta1", &OptimizerOptions::beta1, c.beta1);
                                   c.beta2 = r.get("beta2", &OptimizerOptions::beta2, c.beta2);
                                   c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                                   c.weight_decay =
                                       r.get("weight-decay", &OptimizerOptions::weight_decay,
                                             c.weight_decay);
                                   return c;
                                 })},
      {"adamax", entry<Adamax>(2e-3,
                               [](OptionReader& r) {
                                 AdamaxConfig c;
                                 c.beta1 = r.get("beta1", &OptimizerOptions::beta1, c.beta1);
                                 c.beta2 = r.get("beta2", &OptimizerOptions::beta2, c.beta2);
                                 c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                                 c.weight_decay =
                                     r.get("weight-decay", &OptimizerOptions::weight_decay,
                                           c.weight_decay);
                                 return c;
                               })},
      {"nadam", entry<NAdam>(2e-3,
                             [](OptionReader& r) {
                               NAdamConfig c;
                               c.beta1 = r.get("beta1", &OptimizerOptions::beta1, c.beta1);
                               c.beta2 = r.get("beta2", &OptimizerOptions::beta2, c.beta2);
                               c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                               c.weight_decay = r.get(
                                   "weight-decay", &OptimizerOptions::weight_decay, c.weight_decay);
                               c.momentum_decay =
                                   r.get("momentum-decay", &OptimizerOptions::momentum_decay,
                                         c.momentum_decay);
                               return c;
                             })},
      {"radam", entry<RAdam>(1e-3,
                             [](OptionReader& r) {
                               RAdamConfig c;
                               c.beta1 = r.get("beta1", &OptimizerOptions::beta1, c.beta1);
                               c.beta2 = r.get("beta2", &OptimizerOptions::beta2, c.beta2);
                               c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
                               c.weight_decay = r.get(
                                   "weight-decay", &OptimizerOptions::weight_decay, c.weight_decay);
                               return c;
                             })},
      {"lion", entry<Lion>(1e-4,
                           [](OptionReader& r) {
                             LionConfig c;
                             c.beta1 = r.get("beta1", &OptimizerOptions::beta1, c.beta1);
                             c.beta2 = r.get("beta2", &OptimizerOptions::beta2, c.beta2);
                             c.weight_decay = r.get("weight-decay", &OptimizerOptions::weight_decay,
                                                    c.weight_decay);
                             return c;
                           })},
  };
  return all;
}

std::string canonical(const std::string& name) {
  return name == "sgd_momentum" ? "momentum" : name;
}

[[noreturn]] void unknown_optimizer(const std::string& name) {
  std::string known;
  for (const auto& [entry_name, e] : entries()) known += (known.empty() ? "" : ", ") + entry_name;
  for (const auto& other : quasi_newton_names()) known += ", " + other;
  throw ConfigError("optimizer: unknown '" + name + "', expected one of: " + known);
}

const Entry& find(const std::string& name) {
  const std::string key = canonical(name);
  for (const auto& [entry_name, e] : entries()) {
    if (entry_name == key) return e;
  }
  if (optimizer_kind(name) != OptimizerKind::first_order) {
    throw ConfigError("optimizer: '" + name +
                      "' makes no step from one gradient; it trains with `descent train` "
                      "and `descent compare`");
  }
  unknown_optimizer(name);
}

LbfgsConfig lbfgs_config(const OptimizerOptions& options) {
  OptionReader reader("lbfgs", options);
  LbfgsConfig config;
  config.history = reader.get("history", &OptimizerOptions::history, config.history);
  reader.finish();
  config.validate();
  return config;
}

}  // namespace

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const auto& [name, e] : entries()) all.push_back(name);
    return all;
  }();
  return names;
}

const std::vector<std::string>& quasi_newton_names() {
  static const std::vector<std::string> names = {"lbfgs", "cg", "olbfgs"};
  return names;
}

OptimizerKind optimizer_kind(const std::string& name) {
  if (name == "lbfgs" || name == "cg") return OptimizerKind::line_search;
  if (name == "olbfgs") return OptimizerKind::online_lbfgs;
  for (const auto& [entry_name, e] : entries()) {
    if (entry_name == canonical(name)) return OptimizerKind::first_order;
  }
  unknown_optimizer(name);
}

template <typename T>
std::unique_ptr<SearchDirection<T>> make_line_search_direction(const std::string& name,
                                                               const OptimizerOptions& options) {
  if (name == "lbfgs") return std::make_unique<LbfgsDirection<T>>(lbfgs_config(options));
  if (name != "cg") throw ConfigError("optimizer: '" + name + "' is not a line-search method");
  OptionReader reader("cg", options);
  reader.finish();
  return std::make_unique<ConjugateGradientDirection<T>>();
}

template std::unique_ptr<SearchDirection<float>> make_line_search_direction<float>(
    const std::string&, const OptimizerOptions&);
template std::unique_ptr<SearchDirection<double>> make_line_search_direction<double>(
    const std::string&, const OptimizerOptions&);

LineSearchConfig line_search_config(const std::string& name) {
  LineSearchConfig config;
  config.c2 = name == "cg" ? 0.1 : 0.9;
  return config;
}

OnlineLbfgsConfig online_lbfgs_config(const OptimizerOptions& options) {
  OptionReader r("olbfgs", options);
  OnlineLbfgsConfig c;
  c.history = r.get("history", &OptimizerOptions::history, c.history);
  c.lambda = r.get("lambda", &OptimizerOptions::lambda, c.lambda);
  c.tau = r.get("tau", &OptimizerOptions::tau, c.tau);
  c.step_divisor = r.get("step-divisor", &OptimizerOptions::step_divisor, c.step_divisor);
  c.eps = r.get("eps", &OptimizerOptions::eps, c.eps);
  r.finish();
  c.validate();
  return c;
}

double default_learning_rate(const std::string& name) {
  switch (optimizer_kind(name)) {
    case OptimizerKind::first_order:
      return find(name).default_lr;
    case OptimizerKind::line_search:
      return 1.0;
    case OptimizerKind::online_lbfgs:
      return 0.1;
  }
  return 1.0;
}

template <>
std::unique_ptr<Optimizer<float>> make_optimizer<float>(const std::string& name,
                                                        const OptimizerOptions& options) {
  OptionReader reader(canonical(name), options);
  auto optimizer = find(name).make_float(reader);
  reader.finish();
  return optimizer;
}

template <>
std::unique_ptr<Optimizer<double>> make_optimizer<double>(const std::string& name,
                                                          const OptimizerOptions& options) {
  OptionReader reader(canonical(name), options);
  auto optimizer = find(name).make_double(reader);
  reader.finish();
  return optimizer;
}

void check_optimizer(const std::string& name, const OptimizerOptions& options) {
  switch (optimizer_kind(name)) {
    case OptimizerKind::first_order:
      make_optimizer<float>(name, options);
      return;
    case OptimizerKind::line_search:
      make_line_search_direction<float>(name, options);
      return;
    case OptimizerKind::online_lbfgs:
      online_lbfgs_config(options);
      return;
  }
}

}  // namespace descent

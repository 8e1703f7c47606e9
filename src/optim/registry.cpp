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

const Entry& find(const std::string& name) {
  const std::string key = canonical(name);
  for (const auto& [entry_name, e] : entries()) {
    if (entry_name == key) return e;
  }
  std::string known;
  for (const auto& [entry_name, e] : entries()) known += (known.empty() ? "" : ", ") + entry_name;
  throw ConfigError("optimizer: unknown '" + name + "', expected one of: " + known);
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

double default_learning_rate(const std::string& name) { return find(name).default_lr; }

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

}  // namespace descent

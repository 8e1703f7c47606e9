#include "descent/optim/registry.hpp"

#include <functional>
#include <set>
#include <tuple>

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
#include "descent/optim/radam.hpp"
#include "descent/optim/rmsprop.hpp"
#include "descent/optim/sgd.hpp"

namespace descent {

namespace {

// What an entry builds in precision T; each kind sets its own.
template <typename T>
struct Makers {
  std::function<std::unique_ptr<Optimizer<T>>(const std::any& config)> optimizer;
  std::function<LineSearchParts<T>(const std::any& config)> line_search;
};

struct Entry {
  MethodInfo info;
  std::vector<std::string> aliases;
  // The method's config struct with the options read over its defaults, validated.
  std::function<std::any(const OptimizerOptions&)> read;
  Makers<float> in_float;
  Makers<double> in_double;
};

template <typename T>
const Makers<T>& makers(const Entry& entry) {
  if constexpr (std::is_same_v<T, float>) {
    return entry.in_float;
  } else {
    return entry.in_double;
  }
}

// `parts`, each over its defaults, with the options read into them and then
// validated; ConfigError for an option none of them has.
template <typename... Parts>
void read_parts(const std::string& method, const OptimizerOptions& options, Parts&... parts) {
  std::set<std::string> read;
  (read_options(optimizer_option_table(), options, parts, read), ...);
  for (const auto& [name, value] : options) {
    if (!read.contains(name)) {
      throw ConfigError(name + ": not a setting of optimizer '" + method + "'");
    }
  }
  const auto validate = [](const auto& part) {
    if constexpr (requires { part.validate(); }) part.validate();
  };
  (validate(parts), ...);
}

// A first-order method: Opt<T> built from its Config.
template <template <typename> class Opt, typename Config>
Entry first_order(const std::string& name, double default_lr,
                  std::vector<std::string> aliases = {}) {
  Entry e{{name, OptimizerKind::first_order, default_lr,
           option_infos(optimizer_option_table(), Config{})},
          std::move(aliases),
          [name](const OptimizerOptions& options) {
            Config config;
            read_parts(name, options, config);
            return std::any(config);
          },
          {},
          {}};
  const auto make = [](auto precision) {
    using T = decltype(precision);
    return [](const std::any& config) -> std::unique_ptr<Optimizer<T>> {
      return std::make_unique<Opt<T>>(std::any_cast<const Config&>(config));
    };
  };
  e.in_float.optimizer = make(float{});
  e.in_double.optimizer = make(double{});
  return e;
}

// A line-search method: Direction<T> from its DirectionConfig, and the line
// search `search` unless options change it.
template <template <typename> class Direction, typename DirectionConfig>
Entry line_search_method(const std::string& name, LineSearchConfig search) {
  using Settings = LineSearchSettings<DirectionConfig>;
  const Settings defaults{DirectionConfig{}, search};
  Entry e{{name, OptimizerKind::line_search, 1.0,
           option_infos(optimizer_option_table(), defaults.direction, defaults.line_search)},
          {},
          [name, defaults](const OptimizerOptions& options) {
            Settings settings = defaults;
            read_parts(name, options, settings.direction, settings.line_search);
            return std::any(settings);
          },
          {},
          {}};
  const auto make = [](auto precision) {
    using T = decltype(precision);
    return [](const std::any& config) {
      const auto& settings = std::any_cast<const Settings&>(config);
      return LineSearchParts<T>{std::make_unique<Direction<T>>(settings.direction),
                                 settings.line_search};
    };
  };
  e.in_float.line_search = make(float{});
  e.in_double.line_search = make(double{});
  return e;
}

// oLBFGS, whose trainer loop takes its OnlineLbfgsConfig (online_lbfgs_config).
Entry online_lbfgs(const std::string& name, double default_lr) {
  return {{name, OptimizerKind::online_lbfgs, default_lr,
           option_infos(optimizer_option_table(), OnlineLbfgsConfig{})},
          {},
          [name](const OptimizerOptions& options) {
            OnlineLbfgsConfig config;
            read_parts(name, options, config);
            return std::any(config);
          },
          {},
          {}};
}

// SFO, whose trainer method takes its SfoSettings (sfo_settings).
Entry sum_of_functions(const std::string& name) {
  return {{name, OptimizerKind::sum_of_functions, 1.0,
           option_infos(optimizer_option_table(), SfoConfig{}, SfoPartition{})},
          {},
          [name](const OptimizerOptions& options) {
            SfoSettings settings;
            read_parts(name, options, settings.sfo, settings.partition);
            return std::any(settings);
          },
          {},
          {}};
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> all = {
      first_order<Sgd, SgdConfig>("sgd", 5e-3),
      first_order<Momentum, MomentumConfig>("momentum", 5e-3, {"sgd_momentum"}),
      first_order<Nesterov, NesterovConfig>("nesterov", 5e-3),
      first_order<Adagrad, AdagradConfig>("adagrad", 1e-2),
      first_order<Rmsprop, RmspropConfig>("rmsprop", 1e-4),
      first_order<Adadelta, AdadeltaConfig>("adadelta", 1.0),
      first_order<Adam, AdamConfig>("adam", 1e-3),
      first_order<AdamW, AdamWConfig>("adamw", 1e-3),
      first_order<Amsgrad, AmsgradConfig>("amsgrad", 1e-3),
      first_order<Adamax, AdamaxConfig>("adamax", 2e-3),
      first_order<NAdam, NAdamConfig>("nadam", 2e-3),
      first_order<RAdam, RAdamConfig>("radam", 1e-3),
      first_order<Lion, LionConfig>("lion", 1e-4),
      line_search_method<LbfgsDirection, LbfgsConfig>("lbfgs", {.c2 = 0.9}),
      line_search_method<ConjugateGradientDirection, ConjugateGradientConfig>("cg", {.c2 = 0.1}),
      online_lbfgs("olbfgs", 0.1),
      sum_of_functions("sfo"),
  };
  return all;
}

std::vector<std::string> names_of_kind(bool first_order) {
  std::vector<std::string> names;
  for (const Entry& e : entries()) {
    if ((e.info.kind == OptimizerKind::first_order) == first_order) names.push_back(e.info.name);
  }
  return names;
}

const Entry& find(const std::string& name) {
  for (const Entry& e : entries()) {
    if (e.info.name == name) return e;
    for (const std::string& alias : e.aliases) {
      if (alias == name) return e;
    }
  }
  std::string known;
  for (const Entry& e : entries()) known += (known.empty() ? "" : ", ") + e.info.name;
  throw ConfigError("optimizer: unknown '" + name + "', expected one of: " + known);
}

}  // namespace

std::string to_string(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::first_order:
      return "first-order";
    case OptimizerKind::line_search:
      return "line-search";
    case OptimizerKind::online_lbfgs:
      return "online-lbfgs";
    case OptimizerKind::sum_of_functions:
      return "sum-of-functions";
  }
  return "first-order";
}

const std::vector<MethodInfo>& optimizer_methods() {
  static const std::vector<MethodInfo> methods = [] {
    std::vector<MethodInfo> all;
    for (const Entry& e : entries()) all.push_back(e.info);
    return all;
  }();
  return methods;
}

const MethodInfo& method_info(const std::string& name) { return find(name).info; }

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = names_of_kind(true);
  return names;
}

const std::vector<std::string>& quasi_newton_names() {
  static const std::vector<std::string> names = names_of_kind(false);
  return names;
}

OptimizerKind optimizer_kind(const std::string& name) { return find(name).info.kind; }

double default_learning_rate(const std::string& name) {
  return find(name).info.default_learning_rate;
}

OptimizerOptions options_taken_by(const std::string& name, const OptimizerOptions& options) {
  OptimizerOptions taken;
  for (const OptionInfo& option : method_info(name).options) {
    const auto given = options.find(option.spec.name);
    if (given != options.end()) taken.insert(*given);
  }
  return taken;
}

std::any read_method_config(const std::string& name, const OptimizerOptions& options) {
  return find(name).read(options);
}

void check_optimizer(const std::string& name, const OptimizerOptions& options) {
  read_method_config(name, options);
}

template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name,
                                             const OptimizerOptions& options) {
  const Entry& e = find(name);
  if (e.info.kind != OptimizerKind::first_order) {
    throw ConfigError("optimizer: '" + name +
                      "' makes no step from one gradient; it trains with `descent train` "
                      "and `descent compare`");
  }
  return makers<T>(e).optimizer(e.read(options));
}

template <typename T>
LineSearchParts<T> make_line_search_parts(const std::string& name,
                                            const OptimizerOptions& options) {
  const Entry& e = find(name);
  if (e.info.kind != OptimizerKind::line_search) {
    throw ConfigError("optimizer: '" + name + "' is not a line-search method");
  }
  return makers<T>(e).line_search(e.read(options));
}

template <typename T>
std::unique_ptr<SearchDirection<T>> make_line_search_direction(const std::string& name,
                                                               const OptimizerOptions& options) {
  return make_line_search_parts<T>(name, options).direction;
}

LineSearchConfig line_search_config(const std::string& name, const OptimizerOptions& options) {
  return make_line_search_parts<double>(name, options).line_search;
}

SfoSettings sfo_settings(const OptimizerOptions& options) {
  return method_config<SfoSettings>("sfo", options);
}

bool chooses_own_steps(OptimizerKind kind) {
  return kind == OptimizerKind::line_search || kind == OptimizerKind::sum_of_functions;
}

OnlineLbfgsConfig online_lbfgs_config(const OptimizerOptions& options) {
  return method_config<OnlineLbfgsConfig>("olbfgs", options);
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const std::string&,
                                                                 const OptimizerOptions&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const std::string&,
                                                                   const OptimizerOptions&);
template LineSearchParts<float> make_line_search_parts<float>(const std::string&,
                                                                const OptimizerOptions&);
template LineSearchParts<double> make_line_search_parts<double>(const std::string&,
                                                                  const OptimizerOptions&);
template std::unique_ptr<SearchDirection<float>> make_line_search_direction<float>(
    const std::string&, const OptimizerOptions&);
template std::unique_ptr<SearchDirection<double>> make_line_search_direction<double>(
    const std::string&, const OptimizerOptions&);

}  // namespace descent

#include "optimizer_flags.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "option_flags.hpp"

namespace descent::cli {

namespace {

// The methods that have `option`, each with its default.
std::vector<std::pair<std::string, std::string>> defaults_of(const std::string& option) {
  std::vector<std::pair<std::string, std::string>> found;
  for (const MethodInfo& method : optimizer_methods()) {
    for (const OptionInfo& info : method.options) {
      if (info.spec.name == option) found.emplace_back(method.name, to_string(*info.default_value));
    }
  }
  return found;
}

// "adam, adamw, ..." or "first-order optimizers" if every one of them.
std::string who_has(const std::vector<std::pair<std::string, std::string>>& defaults) {
  std::vector<std::string> names;
  for (const auto& [name, value] : defaults) names.push_back(name);
  return names == optimizer_names() ? "first-order optimizers" : comma_list(names);
}

// The most common default alone, the others after their methods:
// "1e-08; adadelta 1e-06; olbfgs 0.0001".
std::string default_text(const std::vector<std::pair<std::string, std::string>>& defaults) {
  std::vector<std::string> values;  // in order of first use
  std::map<std::string, std::vector<std::string>> methods;
  for (const auto& [name, value] : defaults) {
    if (methods[value].empty()) values.push_back(value);
    methods[value].push_back(name);
  }
  std::stable_sort(values.begin(), values.end(), [&](const auto& a, const auto& b) {
    return methods[a].size() > methods[b].size();
  });
  std::string text;
  for (const auto& value : values) {
    text += text.empty() ? value : "; " + comma_list(methods[value]) + " " + value;
  }
  return text;
}

}  // namespace

void add_optimizer_flags(CLI::App& app, OptimizerArgs& args) {
  std::string quasi_newton;
  for (const auto& name : quasi_newton_names()) {
    quasi_newton +=
        (quasi_newton.empty() ? "" : ", ") + name + " (" + to_string(optimizer_kind(name)) + ")";
  }
  app.add_option("--optimizer", args.name,
                 "Optimizer: " + comma_list(optimizer_names()) +
                     " (sgd_momentum = momentum); quasi-Newton, for descent train and the "
                     "commands that train: " +
                     quasi_newton)
      ->capture_default_str()
      ->group(kOptimizerFlags);
  app.add_option("--lr", args.learning_rate, "Learning rate")
      ->default_str("the optimizer's: sgd 5e-3, momentum 5e-3, rmsprop 1e-4, adam 1e-3")
      ->group(kOptimizerFlags);
  for (const OptionDeclaration& option : optimizer_option_table()) {
    const auto defaults = defaults_of(option.name());
    add_option_flag(
        app, option.spec(), option.spec().help + " (" + who_has(defaults) + ")",
        default_text(defaults),
        [&args, name = option.name()](const OptionValue& value) { args.options[name] = value; })
        ->group(kOptimizerFlags);
  }
  app.add_option("--clip-norm", args.clipping.max_norm,
                 "Scale gradients to this global L2 norm at most (0: off)")
      ->capture_default_str()
      ->group(kOptimizerFlags);
  app.add_option("--clip-value", args.clipping.max_value, "Clamp each gradient to [-v, v] (0: off)")
      ->capture_default_str()
      ->group(kOptimizerFlags);
}

double resolved_learning_rate(const OptimizerArgs& args) {
  return std::isnan(args.learning_rate) ? default_learning_rate(args.name) : args.learning_rate;
}

}  // namespace descent::cli

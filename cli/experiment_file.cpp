#include "experiment_file.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "json_config.hpp"
#include "optimizer_flags.hpp"
#include "schedule_flags.hpp"

namespace descent::cli {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw CLI::ConversionError(where + ": " + what);
}

void apply_object(CLI::App& app, const nlohmann::json& object, const std::string& where) {
  std::istringstream input(object.dump());
  apply_config(app, input, where);
}

std::vector<double> numbers(const nlohmann::json& json, const std::string& where) {
  if (!json.is_array()) fail(where, "expected a list of numbers");
  std::vector<double> values;
  for (const auto& value : json) {
    if (!value.is_number()) fail(where, "expected a list of numbers, got " + value.dump());
    values.push_back(value.get<double>());
  }
  return values;
}

std::string text(const nlohmann::json& object, const char* key, const std::string& where,
                 bool required) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) fail(where, std::string("missing \"") + key + "\"");
    return {};
  }
  if (!it->is_string()) fail(where + "." + key, "expected a string, got " + it->dump());
  return it->get<std::string>();
}

// "adam", or {"name": "momentum", "lrs": [5e-3], "momentum": 0.95}.
OptimizerChoice optimizer_choice(const nlohmann::json& json, const std::string& where) {
  OptimizerChoice choice;
  if (json.is_string()) {
    choice.name = json.get<std::string>();
    return choice;
  }
  if (!json.is_object()) fail(where, "expected an optimizer name or object, got " + json.dump());
  choice.name = text(json, "name", where, true);
  nlohmann::json options = json;
  options.erase("name");
  if (options.contains("lrs")) {
    choice.learning_rates = numbers(options["lrs"], where + ".lrs");
    options.erase("lrs");
  }
  for (const char* key : {"optimizer", "lr", "clip-norm", "clip-value"}) {
    if (options.contains(key)) fail(where + "." + key, "not an optimizer hyperparameter");
  }
  choice.options = optimizer_options_from_json(options);
  return choice;
}

// "step", or {"name": "warm-cosine", "schedule": "cosine", "period": 6,
// "schedule-unit": "epoch"}.
ScheduleChoice schedule_choice(const nlohmann::json& json, std::size_t epochs,
                               const std::string& where) {
  if (json.is_string()) return named_schedule(json.get<std::string>(), epochs);
  if (!json.is_object()) fail(where, "expected a schedule name or object, got " + json.dump());
  ScheduleChoice choice;
  choice.label = text(json, "name", where, true);
  nlohmann::json settings = json;
  settings.erase("name");
  const std::string unit = text(json, "schedule-unit", where, false);
  if (!unit.empty() && unit != "iteration" && unit != "epoch") {
    fail(where + ".schedule-unit", "expected iteration or epoch, got '" + unit + "'");
  }
  settings.erase("schedule-unit");
  choice.schedule = schedule_from_json(settings);
  choice.schedule.validate();
  choice.per_epoch = unit == "epoch";
  return choice;
}

// The optimizers and schedules are each group's; the base may clip gradients.
void check_base_keys(const CLI::App& command, const nlohmann::json& base,
                     const std::string& where) {
  for (const auto& [key, value] : base.items()) {
    std::string flag = key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    const CLI::Option* option = command.get_option_no_throw("--" + flag);
    if (option == nullptr || flag == "clip-norm" || flag == "clip-value") continue;
    if (option->get_group() == kOptimizerFlags || option->get_group() == kScheduleFlags) {
      fail(where, "'" + key + "' is set by each group's \"optimizers\" or \"schedules\"");
    }
  }
}

// Whole numbers >= 0.
std::vector<std::uint64_t> seed_list(const nlohmann::json& json, const std::string& where) {
  std::vector<std::uint64_t> seeds;
  for (double seed : numbers(json, where)) {
    if (seed < 0 || seed != static_cast<double>(static_cast<std::uint64_t>(seed))) {
      fail(where, "expected whole numbers >= 0");
    }
    seeds.push_back(static_cast<std::uint64_t>(seed));
  }
  return seeds;
}

}  // namespace

Experiment read_experiment(const nlohmann::json& json, const std::string& source, CLI::App& command,
                           const TrainArgs& args) {
  if (!json.is_object()) fail(source, "expected a JSON object with \"groups\"");
  Experiment experiment;
  experiment.name = text(json, "name", source, true);
  experiment.title = text(json, "title", source, false);
  if (json.contains("base")) {
    if (!json["base"].is_object()) fail(source + ": base", "expected an object of flag names");
    check_base_keys(command, json["base"], source + ": base");
    apply_object(command, json["base"], source + ": base");
  }
  if (json.contains("seeds")) experiment.seeds = seed_list(json["seeds"], source + ": seeds");
  const auto groups = json.find("groups");
  if (groups == json.end() || !groups->is_array()) fail(source, "expected a list \"groups\"");
  const std::size_t epochs = args.config.epochs;  // the base's, now applied
  for (const auto& g : *groups) {
    const std::string where = source + ": group " + std::to_string(experiment.groups.size() + 1);
    if (!g.is_object()) fail(where, "expected an object");
    GroupSpec group;
    group.name = text(g, "name", where, true);
    group.title = text(g, "title", where, false);
    try {
      group.kind = parse_group_kind(g.contains("kind") ? text(g, "kind", where, true) : "curves");
      if (g.contains("lrs")) group.learning_rates = numbers(g["lrs"], where + ".lrs");
      if (!g.contains("optimizers") || !g["optimizers"].is_array()) {
        fail(where, "expected a list \"optimizers\"");
      }
      for (const auto& o : g["optimizers"]) {
        group.optimizers.push_back(optimizer_choice(o, where + ".optimizers"));
      }
      if (g.contains("schedules")) {
        if (!g["schedules"].is_array()) fail(where + ".schedules", "expected a list");
        for (const auto& s : g["schedules"]) {
          group.schedules.push_back(schedule_choice(s, epochs, where + ".schedules"));
        }
      }
      group.best_lr_from = text(g, "best-lr-from", where, false);
    } catch (const ConfigError& e) {
      fail(where, e.what());
    }
    if (g.contains("seeds")) group.seeds = seed_list(g["seeds"], where + ".seeds");
    if (g.contains("study")) {
      group.study = static_cast<std::size_t>(
          seed_list(nlohmann::json::array({g["study"]}), where + ".study").front());
    }
    for (const auto& [key, value] : g.items()) {
      if (key != "name" && key != "title" && key != "kind" && key != "lrs" && key != "optimizers" &&
          key != "schedules" && key != "best-lr-from" && key != "runs" && key != "seeds" &&
          key != "study") {
        fail(where, "unknown setting '" + key + "'");
      }
    }
    experiment.groups.push_back(std::move(group));
  }
  for (const auto& [key, value] : json.items()) {
    if (key != "name" && key != "title" && key != "base" && key != "seeds" && key != "groups") {
      fail(source, "unknown setting '" + key + "'");
    }
  }
  return experiment;
}

Experiment parse_experiment(const std::string& text, const std::string& source) {
  const nlohmann::json json = parse_json(text, source);
  TrainArgs args;
  CLI::App command;
  add_train_flags(command, args, TrainFlags::for_sweeps);
  Experiment experiment = read_experiment(json, source, command, args);
  experiment.base = resolve(args);
  experiment.validate();
  return experiment;
}

}  // namespace descent::cli

#include "descent/experiment/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

namespace {

bool is_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string option_text(const nlohmann::json& value) {
  if (value.is_number()) return shortest(value.get<double>());
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.get<std::string>();
}

// "momentum-lr0.005-step-s0", with the optimizer's set options after its name:
// "momentum-momentum0.95-lr0.005-constant-s0".
std::string run_id(const std::string& optimizer, const OptimizerOptions& options, double lr,
                   const std::string& schedule, std::uint64_t seed) {
  std::string id = optimizer;
  const nlohmann::json set_options = to_json(options);
  for (const auto& [key, value] : set_options.items()) id += "-" + key + option_text(value);
  return id + "-lr" + shortest(lr) + "-" + schedule + "-s" + std::to_string(seed);
}

ScheduleChoice constant_schedule() { return {"constant", ScheduleConfig{}, false}; }

}  // namespace

std::string to_string(GroupKind kind) {
  switch (kind) {
    case GroupKind::curves:
      return "curves";
    case GroupKind::lr_sweep:
      return "lr-sweep";
    case GroupKind::decay:
      return "decay";
  }
  return "curves";
}

GroupKind parse_group_kind(const std::string& name) {
  if (name == "curves") return GroupKind::curves;
  if (name == "lr-sweep") return GroupKind::lr_sweep;
  if (name == "decay") return GroupKind::decay;
  throw ConfigError("kind: unknown '" + name + "', expected curves, lr-sweep or decay");
}

void Experiment::validate() const {
  if (!is_name(name)) {
    throw ConfigError("name: expected letters a-z, digits and '-', got '" + name + "'");
  }
  if (seeds.empty()) throw ConfigError("seeds: expected at least one seed");
  if (groups.empty()) throw ConfigError("groups: expected at least one group");
  base.validate();
  std::set<std::string> seen;
  for (const GroupSpec& group : groups) {
    const std::string where = "group '" + group.name + "': ";
    if (!is_name(group.name)) {
      throw ConfigError("group name: expected letters a-z, digits and '-', got '" + group.name +
                        "'");
    }
    if (!group.best_lr_from.empty() && !seen.count(group.best_lr_from)) {
      throw ConfigError(where + "best-lr-from: '" + group.best_lr_from +
                        "' is not the name of an earlier group");
    }
    if (!seen.insert(group.name).second) throw ConfigError(where + "the name is used twice");
    if (group.optimizers.empty()) throw ConfigError(where + "optimizers: expected at least one");
    for (const OptimizerChoice& choice : group.optimizers) {
      try {
        check_optimizer(choice.name, choice.options);
      } catch (const ConfigError& e) {
        throw ConfigError(where + "optimizers: " + e.what());
      }
      for (double lr :
           choice.learning_rates.empty() ? group.learning_rates : choice.learning_rates) {
        if (!(lr > 0) || !std::isfinite(lr)) {
          throw ConfigError(where + "lrs: expected finite numbers > 0, got " + shortest(lr));
        }
      }
    }
    std::set<std::string> labels;
    for (const ScheduleChoice& schedule : group.schedules) {
      if (!is_name(schedule.label) || !labels.insert(schedule.label).second) {
        throw ConfigError(where +
                          "schedules: each needs its own name of letters a-z, digits and "
                          "'-', got '" +
                          schedule.label + "'");
      }
      ScheduleConfig checked = schedule.schedule;
      if (checked.kind == ScheduleKind::one_cycle && checked.total_steps == 0) {
        checked.total_steps = 2;
      }
      checked.validate();
    }
  }
}

const std::vector<std::string>& named_schedule_names() {
  static const std::vector<std::string> names = {"constant",     "step",   "exponential",
                                                 "inverse-time", "cosine", "one-cycle"};
  return names;
}

ScheduleChoice named_schedule(const std::string& name, std::size_t epochs) {
  ScheduleChoice choice;
  choice.label = name;
  ScheduleConfig& s = choice.schedule;
  if (name == "constant") return choice;
  if (name == "step") {
    s.kind = ScheduleKind::step;
    s.step_size = 2;
    s.gamma = 0.5;
    choice.per_epoch = true;
  } else if (name == "exponential") {
    s.kind = ScheduleKind::exponential;
    s.gamma = 0.7;
    choice.per_epoch = true;
  } else if (name == "inverse-time") {
    s.kind = ScheduleKind::inverse_time;
    s.decay = 0.5;
    choice.per_epoch = true;
  } else if (name == "cosine") {
    // Per epoch, the last epoch would train at zero: a period one epoch
    // longer ends at a small rate instead.
    s.kind = ScheduleKind::cosine;
    s.period = epochs + 1;
    choice.per_epoch = true;
  } else if (name == "one-cycle") {
    s.kind = ScheduleKind::one_cycle;  // total_steps 0: the whole run
  } else {
    std::string known;
    for (const auto& n : named_schedule_names()) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError("schedules: unknown '" + name + "', expected one of: " + known);
  }
  return choice;
}

std::vector<RunSpec> expand_group(const Experiment& experiment, const GroupSpec& group,
                                  const std::map<std::string, double>& best_lrs) {
  const std::vector<ScheduleChoice> schedules =
      group.schedules.empty() ? std::vector<ScheduleChoice>{constant_schedule()} : group.schedules;
  std::vector<RunSpec> runs;
  for (const OptimizerChoice& choice : group.optimizers) {
    std::vector<double> lrs =
        choice.learning_rates.empty() ? group.learning_rates : choice.learning_rates;
    if (!group.best_lr_from.empty()) {
      const auto best = best_lrs.find(choice.name);
      if (best == best_lrs.end()) continue;
      lrs = {best->second};
    }
    if (lrs.empty()) lrs = {default_learning_rate(choice.name)};
    // lbfgs and cg (by line search, on the full training set) and sfo set
    // their own steps: one run each, whatever the group's learning rates and
    // schedules.
    const OptimizerKind kind = optimizer_kind(choice.name);
    const bool line_search = kind == OptimizerKind::line_search;
    const bool own_steps = chooses_own_steps(kind);
    if (own_steps) lrs = {default_learning_rate(choice.name)};
    const std::vector<ScheduleChoice> run_schedules =
        own_steps ? std::vector<ScheduleChoice>{constant_schedule()} : schedules;
    for (double lr : lrs) {
      for (const ScheduleChoice& schedule : run_schedules) {
        for (std::uint64_t seed : group.seeds.empty() ? experiment.seeds : group.seeds) {
          RunSpec run;
          run.id = run_id(choice.name, choice.options, lr, schedule.label, seed);
          run.schedule_label = schedule.label;
          run.config = experiment.base;
          run.config.optimizer = choice.name;
          run.config.optimizer_options = choice.options;
          run.config.learning_rate = lr;
          run.config.schedule = schedule.schedule;
          run.config.schedule_per_epoch = schedule.per_epoch;
          run.config.seed = seed;
          if (line_search) run.config.batch_size = 0;
          runs.push_back(std::move(run));
        }
      }
    }
  }
  return runs;
}

nlohmann::json to_json(const Experiment& experiment) {
  nlohmann::json groups = nlohmann::json::array();
  for (const GroupSpec& group : experiment.groups) {
    nlohmann::json optimizers = nlohmann::json::array();
    for (const OptimizerChoice& choice : group.optimizers) {
      nlohmann::json o = to_json(choice.options);
      o["name"] = choice.name;
      if (!choice.learning_rates.empty()) o["lrs"] = choice.learning_rates;
      optimizers.push_back(o);
    }
    nlohmann::json schedules = nlohmann::json::array();
    for (const ScheduleChoice& schedule : group.schedules) {
      nlohmann::json s = to_json(schedule.schedule);
      s["name"] = schedule.label;
      s["schedule-unit"] = schedule.per_epoch ? "epoch" : "iteration";
      schedules.push_back(s);
    }
    nlohmann::json g = {
        {"name", group.name},       {"title", group.title},        {"kind", to_string(group.kind)},
        {"optimizers", optimizers}, {"lrs", group.learning_rates}, {"schedules", schedules}};
    if (!group.best_lr_from.empty()) g["best-lr-from"] = group.best_lr_from;
    if (!group.seeds.empty()) g["seeds"] = group.seeds;
    if (group.study > 0) g["study"] = group.study;
    groups.push_back(g);
  }
  // The base's settings that every run shares; each run chooses the rest.
  nlohmann::json base = to_json(experiment.base);
  const nlohmann::json schedule_keys = to_json(ScheduleConfig{});
  for (const auto& [key, value] : schedule_keys.items()) base.erase(key);
  for (const char* key : {"optimizer", "lr", "seed", "threads", "schedule-unit"}) {
    base.erase(key);
  }
  // Gradient clipping, when on, is the base's for every run.
  for (const char* key : {"clip-norm", "clip-value"}) {
    if (base[key] == 0) base.erase(key);
  }
  // A problem fixes the data and the network: it is named in their place.
  if (!experiment.problem.empty()) {
    for (const char* key : {"dataset", "hidden", "init", "weight-scale", "reg", "dropout",
                            "batchnorm", "layers", "input-shape", "normalization"}) {
      base.erase(key);
    }
    base["problem"] = experiment.problem;
  }
  return {{"name", experiment.name},
          {"title", experiment.title},
          {"base", base},
          {"seeds", experiment.seeds},
          {"groups", groups}};
}

}  // namespace descent

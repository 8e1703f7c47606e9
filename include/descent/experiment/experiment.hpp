// An experiment: groups of training runs that share one network, data set and
// budget, each group a grid of optimizers x learning rates x schedules x seeds.
// A group may take each optimizer's best learning rate from another group
// (the notes' "pick the best learning rate, then decide on decay").
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "descent/optim/registry.hpp"
#include "descent/optim/schedule.hpp"
#include "descent/train/config.hpp"

namespace descent {

// How the report draws a group (docs/compare-folder.md).
enum class GroupKind { curves, lr_sweep, decay };
std::string to_string(GroupKind kind);
// "curves", "lr-sweep" or "decay"; ConfigError otherwise.
GroupKind parse_group_kind(const std::string& name);

struct OptimizerChoice {
  std::string name;
  OptimizerOptions options;
  std::vector<double> learning_rates;  // empty: the group's, else the optimizer's default
};

struct ScheduleChoice {
  std::string label;  // names the schedule in run names and legends: "step"
  ScheduleConfig schedule;
  bool per_epoch = false;  // the schedule's t counts epochs
};

struct GroupSpec {
  std::string name;  // [a-z0-9-], unique in the experiment
  std::string title;
  GroupKind kind = GroupKind::curves;
  std::vector<OptimizerChoice> optimizers;
  std::vector<double> learning_rates;     // for optimizers without their own
  std::vector<ScheduleChoice> schedules;  // empty: constant
  // If set, each optimizer runs at the learning rate of its best finished run
  // in that group (by final validation accuracy), instead of its own list.
  std::string best_lr_from;
  // The seeds of this group's runs; empty: the experiment's.
  std::vector<std::uint64_t> seeds;
  // j > 0: the group is study j of a tuning protocol (tuning_protocol.hpp).
  std::size_t study = 0;
};

struct Experiment {
  std::string name;  // [a-z0-9-]
  std::string title;
  // Data, network and budget of every run; optimizer, learning rate, schedule
  // and seed are each run's own.
  TrainConfig base;
  // The named test problem (train/problem.hpp) that fixed the base's data and
  // network; empty: none. experiment.json's base then names it instead of
  // holding the settings it fixes.
  std::string problem;
  std::vector<std::uint64_t> seeds = {0};
  std::vector<GroupSpec> groups;

  // ConfigError naming the group and field: empty lists, duplicate or badly
  // formed names, unknown optimizers, bad learning rates, a best_lr_from that
  // names no earlier group.
  void validate() const;
};

// One training run of the experiment.
struct RunSpec {
  std::string id;  // folder name: "adam-lr1e-3-constant-s0"
  std::string schedule_label;
  TrainConfig config;
};

// The named schedules of `descent compare --schedules`, scaled to a run of
// `epochs` epochs: constant; step, exponential and inverse-time as the notes'
// per-epoch decays (halve every 2 epochs; x0.7 per epoch; lr / (1 + 0.5 t));
// cosine to zero over the run; one-cycle over the run. ConfigError listing the
// names for any other.
ScheduleChoice named_schedule(const std::string& name, std::size_t epochs);
const std::vector<std::string>& named_schedule_names();

// The runs of one group. `best_lrs` maps an optimizer to its best learning
// rate, for a group with best_lr_from; an optimizer without one (every run of
// it diverged) is left out. Runs of equal configs get equal ids.
std::vector<RunSpec> expand_group(const Experiment& experiment, const GroupSpec& group,
                                  const std::map<std::string, double>& best_lrs = {});

// The experiment as written to experiment.json (settings, not results).
nlohmann::json to_json(const Experiment& experiment);

// The default of `descent compare`: the cs231n notes' comparisons on
// Fashion-MNIST with 5 hidden layers of 100, batch 100, 5 epochs:
//   sgd-vs-momentum  SGD and SGD with momentum at 5e-3 (the notes' Figure 1)
//   tuned            each optimizer at its tuned rate (Figure 2)
//   same-lr          all at 1e-3 (Figure 3)
//   lr-sweep         [1e-4, 5e-4, 1e-3, 5e-3, 1e-2], RMSProp [1e-5 .. 5e-4] (Figures 4-7)
//   decay            each optimizer's best rate with step, exponential and 1/t decay
//   too-large        ten times the top of each sweep: the rates that diverge
// `quick` trains on a subset of quick_train_size samples (0: all) with a
// shorter sweep, and its title says how many.
Experiment notes_experiment(bool quick, std::size_t quick_train_size = 10000);

}  // namespace descent

// Experiments as settings: the grid a group expands to, run ids, the best-lr
// hand-over between groups, validation messages, the named schedules and the
// notes' default experiment.
#include "descent/experiment/experiment.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "descent/core/error.hpp"

namespace descent {
namespace {

Experiment two_seed_experiment() {
  Experiment e;
  e.name = "test";
  e.seeds = {0, 1};
  GroupSpec group;
  group.name = "grid";
  group.optimizers = {{"sgd", {}, {}}, {"adam", {}, {}}, {"momentum", {}, {}}};
  group.learning_rates = {1e-3, 1e-2};
  group.schedules = {named_schedule("constant", 5), named_schedule("step", 5),
                     named_schedule("exponential", 5)};
  e.groups = {group};
  return e;
}

// The message of the ConfigError `f` throws; fails the test if none.
template <typename F>
std::string config_error(F f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ConfigError";
  return {};
}

std::set<std::string> ids_of(const std::vector<RunSpec>& runs) {
  std::set<std::string> ids;
  for (const RunSpec& run : runs) ids.insert(run.id);
  return ids;
}

TEST(ExpandGroupTest, GridIsOptimizersTimesLrsTimesSchedulesTimesSeeds) {
  const Experiment e = two_seed_experiment();
  const auto runs = expand_group(e, e.groups[0]);
  ASSERT_EQ(runs.size(), 3u * 2u * 3u * 2u);
  // Every combination once, each run's config carrying its own choices.
  std::set<std::tuple<std::string, double, std::string, std::uint64_t>> combos;
  for (const RunSpec& run : runs) {
    combos.insert(
        {run.config.optimizer, run.config.learning_rate, run.schedule_label, run.config.seed});
    EXPECT_EQ(run.config.epochs, e.base.epochs);
    EXPECT_EQ(run.config.network.hidden, e.base.network.hidden);
  }
  EXPECT_EQ(combos.size(), runs.size());
  EXPECT_EQ(ids_of(runs).size(), runs.size());
  for (const RunSpec& run : runs) {
    const ScheduleChoice expected = named_schedule(run.schedule_label, 5);
    EXPECT_EQ(run.config.schedule.kind, expected.schedule.kind) << run.id;
    EXPECT_EQ(run.config.schedule_per_epoch, expected.per_epoch) << run.id;
  }
}

TEST(ExpandGroupTest, OptimizersOwnLrsOverrideTheGroupsAndDefaultWhenNone) {
  Experiment e;
  e.name = "test";
  GroupSpec group;
  group.name = "g";
  group.optimizers = {{"sgd", {}, {0.3}}, {"adam", {}, {}}};
  group.learning_rates = {1e-3, 1e-2};
  e.groups = {group};
  const auto runs = expand_group(e, group);
  std::multiset<std::pair<std::string, double>> got;
  for (const RunSpec& run : runs) got.insert({run.config.optimizer, run.config.learning_rate});
  const std::multiset<std::pair<std::string, double>> expected = {
      {"sgd", 0.3}, {"adam", 1e-3}, {"adam", 1e-2}};
  EXPECT_EQ(got, expected);

  group.learning_rates.clear();
  const auto defaults = expand_group(e, group);
  ASSERT_EQ(defaults.size(), 2u);
  EXPECT_EQ(defaults[0].config.learning_rate, 0.3);
  EXPECT_EQ(defaults[1].config.learning_rate, default_learning_rate("adam"));
  // No schedule given: constant.
  EXPECT_EQ(defaults[1].schedule_label, "constant");
  EXPECT_EQ(defaults[1].config.schedule.kind, ScheduleKind::constant);
}

TEST(ExpandGroupTest, IdsDifferForDifferentConfigsAndAgreeForEqualOnes) {
  Experiment e = two_seed_experiment();
  GroupSpec other = e.groups[0];
  other.name = "other";
  other.optimizers = {{"adam", {}, {}}};
  other.schedules = {named_schedule("step", 5)};
  e.groups.push_back(other);
  const auto first = expand_group(e, e.groups[0]);
  const auto second = expand_group(e, e.groups[1]);
  std::map<std::string, std::string> config_of;  // id -> config
  for (const RunSpec& run : first) config_of[run.id] = to_json(run.config).dump();
  for (const RunSpec& run : second) {
    ASSERT_TRUE(config_of.count(run.id)) << run.id;
    EXPECT_EQ(config_of[run.id], to_json(run.config).dump());
  }
  // Options, learning rates, schedules and seeds each change the id.
  GroupSpec tweaked;
  tweaked.name = "tweaked";
  OptimizerOptions momentum;
  momentum["momentum"] = 0.95;
  tweaked.optimizers = {{"momentum", {}, {1e-3}}, {"momentum", momentum, {1e-3}}};
  e.groups.push_back(tweaked);
  const auto options = expand_group(e, tweaked);
  ASSERT_EQ(options.size(), 4u);
  EXPECT_EQ(ids_of(options).size(), 4u);
  EXPECT_NE(options[2].id.find("momentum0.95"), std::string::npos) << options[2].id;
  EXPECT_NE(options[0].id, options[1].id);  // seeds
}

TEST(ExpandGroupTest, BestLrFromTakesTheGivenRatesAndLeavesOutOptimizersWithout) {
  Experiment e;
  e.name = "test";
  GroupSpec sweep;
  sweep.name = "sweep";
  sweep.optimizers = {{"sgd", {}, {}}, {"adam", {}, {}}, {"rmsprop", {}, {}}};
  sweep.learning_rates = {1e-4, 1e-3, 1e-2};
  GroupSpec decay;
  decay.name = "decay";
  decay.optimizers = sweep.optimizers;
  decay.optimizers[0].learning_rates = {0.5};  // ignored: the best lr wins
  decay.best_lr_from = "sweep";
  decay.schedules = {named_schedule("constant", 5), named_schedule("step", 5)};
  e.groups = {sweep, decay};
  const std::map<std::string, double> best = {{"sgd", 1e-2}, {"adam", 1e-3}};
  const auto runs = expand_group(e, decay, best);
  ASSERT_EQ(runs.size(), 4u);
  for (const RunSpec& run : runs) {
    ASSERT_NE(run.config.optimizer, "rmsprop");
    EXPECT_EQ(run.config.learning_rate, best.at(run.config.optimizer)) << run.id;
  }
  // The constant run at the best rate is the sweep's run.
  const auto sweep_ids = ids_of(expand_group(e, sweep));
  std::size_t shared = 0;
  for (const RunSpec& run : runs) shared += sweep_ids.count(run.id);
  EXPECT_EQ(shared, 2u);
  EXPECT_TRUE(expand_group(e, decay, {}).empty());
}

TEST(ExperimentValidateTest, ErrorsNameTheField) {
  const auto expect_error = [](Experiment e, const std::string& word) {
    const std::string message = config_error([&] { e.validate(); });
    EXPECT_NE(message.find(word), std::string::npos) << message;
  };
  const Experiment good = two_seed_experiment();
  EXPECT_NO_THROW(good.validate());

  Experiment e = good;
  e.name = "Bad Name";
  expect_error(e, "name");
  e = good;
  e.groups[0].name = "under_score";
  expect_error(e, "group name");
  e = good;
  e.groups.push_back(good.groups[0]);
  expect_error(e, "twice");
  e = good;
  e.seeds.clear();
  expect_error(e, "seeds");
  e = good;
  e.groups.clear();
  expect_error(e, "groups");
  e = good;
  e.groups[0].learning_rates = {1e-3, -1};
  expect_error(e, "lrs");
  e = good;
  e.groups[0].optimizers[1].learning_rates = {std::nan("")};
  expect_error(e, "lrs");
  e = good;
  e.groups[0].optimizers.clear();
  expect_error(e, "optimizers");
  e = good;
  e.groups[0].optimizers[0].name = "nope";
  expect_error(e, "nope");
  expect_error(e, "group 'grid'");
  e = good;
  e.groups[0].schedules.push_back(named_schedule("step", 5));
  expect_error(e, "schedules");

  // best-lr-from must name an earlier group: not a later one, not itself, not an unknown one.
  GroupSpec later = good.groups[0];
  later.name = "later";
  e = good;
  e.groups[0].best_lr_from = "later";
  e.groups.push_back(later);
  expect_error(e, "best-lr-from");
  e = good;
  e.groups[0].best_lr_from = "grid";
  expect_error(e, "best-lr-from");
  e = good;
  later.best_lr_from = "nowhere";
  e.groups.push_back(later);
  expect_error(e, "best-lr-from");
  later.best_lr_from = "grid";
  e.groups.back() = later;
  EXPECT_NO_THROW(e.validate());
}

TEST(NamedScheduleTest, DecaysPerEpochAsTheNotes) {
  const ScheduleChoice step = named_schedule("step", 5);
  EXPECT_TRUE(step.per_epoch);
  EXPECT_EQ(step.label, "step");
  for (std::size_t t = 0; t < 8; ++t) {
    EXPECT_DOUBLE_EQ(schedule_lr(step.schedule, 0.1, t), 0.1 * std::pow(0.5, t / 2)) << t;
  }
  const ScheduleChoice exponential = named_schedule("exponential", 5);
  EXPECT_TRUE(exponential.per_epoch);
  for (std::size_t t = 0; t < 8; ++t) {
    EXPECT_DOUBLE_EQ(schedule_lr(exponential.schedule, 0.1, t),
                     0.1 * std::pow(0.7, static_cast<double>(t)))
        << t;
  }
  const ScheduleChoice inverse = named_schedule("inverse-time", 5);
  EXPECT_TRUE(inverse.per_epoch);
  for (std::size_t t = 0; t < 8; ++t) {
    EXPECT_DOUBLE_EQ(schedule_lr(inverse.schedule, 0.1, t),
                     0.1 / (1 + 0.5 * static_cast<double>(t)))
        << t;
  }
  const ScheduleChoice constant = named_schedule("constant", 5);
  EXPECT_FALSE(constant.per_epoch);
  EXPECT_EQ(constant.schedule.kind, ScheduleKind::constant);
  // Cosine per epoch: falls over the run but never reaches zero within it.
  const ScheduleChoice cosine = named_schedule("cosine", 5);
  EXPECT_TRUE(cosine.per_epoch);
  EXPECT_DOUBLE_EQ(schedule_lr(cosine.schedule, 0.1, 0), 0.1);
  EXPECT_GT(schedule_lr(cosine.schedule, 0.1, 4), 0);
  EXPECT_LT(schedule_lr(cosine.schedule, 0.1, 4), schedule_lr(cosine.schedule, 0.1, 3));
  EXPECT_EQ(named_schedule("one-cycle", 5).schedule.kind, ScheduleKind::one_cycle);
  for (const std::string& name : named_schedule_names()) {
    EXPECT_EQ(named_schedule(name, 3).label, name);
  }
}

TEST(NamedScheduleTest, UnknownNameListsTheNames) {
  const std::string message = config_error([] { named_schedule("sometimes", 5); });
  EXPECT_NE(message.find("sometimes"), std::string::npos) << message;
  for (const std::string& name : named_schedule_names()) {
    EXPECT_NE(message.find(name), std::string::npos) << name << ": " << message;
  }
}

TEST(ExperimentJsonTest, HoldsTheGroupsAndTheSharedSettingsOnly) {
  Experiment e = two_seed_experiment();
  e.title = "A title";
  e.groups[0].title = "The grid";
  e.groups[0].optimizers[2].options["momentum"] = 0.95;
  e.groups[0].optimizers[2].learning_rates = {5e-3};
  e.groups[0].kind = GroupKind::lr_sweep;
  GroupSpec decay;
  decay.name = "decay";
  decay.kind = GroupKind::decay;
  decay.optimizers = {{"sgd", {}, {}}};
  decay.best_lr_from = "grid";
  e.groups.push_back(decay);
  e.base.epochs = 7;
  const nlohmann::json json = to_json(e);
  EXPECT_EQ(json["name"], "test");
  EXPECT_EQ(json["title"], "A title");
  EXPECT_EQ(json["seeds"], nlohmann::json({0, 1}));
  EXPECT_EQ(json["base"]["epochs"], 7);
  for (const char* key : {"optimizer", "lr", "seed", "threads", "schedule"}) {
    EXPECT_FALSE(json["base"].contains(key)) << key;
  }
  ASSERT_EQ(json["groups"].size(), 2u);
  const auto& grid = json["groups"][0];
  EXPECT_EQ(grid["name"], "grid");
  EXPECT_EQ(grid["title"], "The grid");
  EXPECT_EQ(grid["kind"], "lr-sweep");
  EXPECT_EQ(grid["lrs"], nlohmann::json({1e-3, 1e-2}));
  EXPECT_EQ(grid["optimizers"][2]["name"], "momentum");
  EXPECT_EQ(grid["optimizers"][2]["momentum"], 0.95);
  EXPECT_EQ(grid["optimizers"][2]["lrs"], nlohmann::json({5e-3}));
  ASSERT_EQ(grid["schedules"].size(), 3u);
  EXPECT_EQ(grid["schedules"][1]["name"], "step");
  EXPECT_EQ(grid["schedules"][1]["schedule-unit"], "epoch");
  EXPECT_EQ(json["groups"][1]["kind"], "decay");
  EXPECT_EQ(json["groups"][1]["best-lr-from"], "grid");
  EXPECT_FALSE(grid.contains("best-lr-from"));
}

TEST(GroupKindTest, NamesRoundTrip) {
  for (GroupKind kind : {GroupKind::curves, GroupKind::lr_sweep, GroupKind::decay}) {
    EXPECT_EQ(parse_group_kind(to_string(kind)), kind);
  }
  EXPECT_NE(config_error([] { parse_group_kind("pie"); }).find("kind"), std::string::npos);
}

const GroupSpec& group_named(const Experiment& e, const std::string& name) {
  for (const GroupSpec& group : e.groups) {
    if (group.name == name) return group;
  }
  throw std::runtime_error("no group " + name);
}

// optimizer -> its learning rates in the group.
std::map<std::string, std::set<double>> lrs_of(const Experiment& e, const GroupSpec& group) {
  std::map<std::string, std::set<double>> lrs;
  for (const RunSpec& run : expand_group(e, group)) {
    lrs[run.config.optimizer].insert(run.config.learning_rate);
  }
  return lrs;
}

TEST(NotesExperimentTest, HasTheNotesGroupsAndLearningRates) {
  const Experiment e = notes_experiment(false);
  EXPECT_NO_THROW(e.validate());
  std::vector<std::string> names;
  for (const GroupSpec& group : e.groups) names.push_back(group.name);
  EXPECT_EQ(names, (std::vector<std::string>{"sgd-vs-momentum", "tuned", "same-lr", "lr-sweep",
                                             "decay", "too-large"}));
  EXPECT_EQ(e.base.network.hidden, (std::vector<std::size_t>{100, 100, 100, 100, 100}));
  EXPECT_EQ(e.base.batch_size, 100u);
  EXPECT_EQ(e.base.epochs, 5u);
  EXPECT_GT(e.base.diverge_factor, 1);

  using Lrs = std::map<std::string, std::set<double>>;
  EXPECT_EQ(lrs_of(e, group_named(e, "sgd-vs-momentum")),
            (Lrs{{"sgd", {5e-3}}, {"momentum", {5e-3}}}));
  const Lrs tuned = lrs_of(e, group_named(e, "tuned"));
  EXPECT_EQ(tuned.at("sgd"), std::set<double>{5e-3});
  EXPECT_EQ(tuned.at("momentum"), std::set<double>{5e-3});
  EXPECT_EQ(tuned.at("rmsprop"), std::set<double>{1e-4});
  EXPECT_EQ(tuned.at("adam"), std::set<double>{1e-3});
  const Lrs same = lrs_of(e, group_named(e, "same-lr"));
  EXPECT_EQ(same.size(), 6u);
  for (const auto& [name, lrs] : same) EXPECT_EQ(lrs, std::set<double>{1e-3}) << name;
  const GroupSpec& sweep = group_named(e, "lr-sweep");
  EXPECT_EQ(sweep.kind, GroupKind::lr_sweep);
  const Lrs swept = lrs_of(e, sweep);
  EXPECT_EQ(swept.size(), 6u);
  for (const auto& [name, lrs] : swept) {
    const std::set<double> expected = name == "rmsprop"
                                          ? std::set<double>{1e-5, 5e-5, 1e-4, 5e-4}
                                          : std::set<double>{1e-4, 5e-4, 1e-3, 5e-3, 1e-2};
    EXPECT_EQ(lrs, expected) << name;
  }
  const GroupSpec& decay = group_named(e, "decay");
  EXPECT_EQ(decay.kind, GroupKind::decay);
  EXPECT_EQ(decay.best_lr_from, "lr-sweep");
  std::vector<std::string> labels;
  for (const ScheduleChoice& s : decay.schedules) labels.push_back(s.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"constant", "step", "exponential", "inverse-time"}));
  // Ten times the top of each optimizer's sweep.
  const Lrs too_large = lrs_of(e, group_named(e, "too-large"));
  EXPECT_EQ(too_large.size(), 6u);
  for (const auto& [name, lrs] : too_large) {
    EXPECT_EQ(lrs, std::set<double>{10 * *swept.at(name).rbegin()}) << name;
  }
}

// Unique runs of the notes' experiment when every optimizer has a best rate.
std::size_t unique_runs(const Experiment& e, const std::map<std::string, double>& best) {
  std::set<std::string> ids;
  for (const GroupSpec& group : e.groups) {
    for (const RunSpec& run : expand_group(e, group, best)) ids.insert(run.id);
  }
  return ids.size();
}

TEST(NotesExperimentTest, CountsOfUniqueRunsAfterDedupe) {
  // Six optimizers, one seed. Figure 1: 2 runs. Tuned: 6, of which sgd and
  // momentum at 5e-3 repeat figure 1: 4 new. Same-lr: 6 at 1e-3, adam's is
  // tuned's: 5 new. The sweep: 5 x 5 + 4 = 29, of which sgd, momentum and
  // nesterov at 5e-3 and 1e-3, adagrad at 1e-2 and 1e-3, adam at 1e-3 and
  // rmsprop at 1e-4 ran before: 19 new. Decay: 6 x 4 schedules, constant the
  // sweep's run at the best rate: 18 new. Too-large: 6 rates above every
  // sweep: 6 new.
  const std::size_t full = 2 + (6 - 2) + (6 - 1) + (5 * 5 + 4 - 10) + 6 * (4 - 1) + 6;
  // Quick: the sweep is 1e-4, 1e-3, 1e-2 (rmsprop 1e-5, 1e-4, 1e-3): 18 runs,
  // of which sgd, momentum, nesterov, adam at 1e-3, adagrad at 1e-3 and 1e-2,
  // rmsprop at 1e-4 and 1e-3 ran before: 10 new.
  const std::size_t quick = 2 + (6 - 2) + (6 - 1) + (6 * 3 - 8) + 6 * (4 - 1) + 6;
  std::map<std::string, double> best;
  for (const char* name : {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}) {
    best[name] = name == std::string("rmsprop") ? 1e-4 : 1e-3;
  }
  EXPECT_EQ(unique_runs(notes_experiment(false), best), full);
  EXPECT_EQ(unique_runs(notes_experiment(true), best), quick);
  // An optimizer without a best rate has no decay runs.
  best.erase("adagrad");
  EXPECT_EQ(unique_runs(notes_experiment(false), best), full - 3);

  const Experiment q = notes_experiment(true);
  EXPECT_EQ(q.base.data.train_size, 10000u);
  EXPECT_NO_THROW(q.validate());
  EXPECT_NE(q.name, notes_experiment(false).name);
  EXPECT_NE(q.title.find("10,000 training samples"), std::string::npos);

  const Experiment smaller = notes_experiment(true, 2000);
  EXPECT_EQ(smaller.base.data.train_size, 2000u);
  EXPECT_NE(smaller.title.find("(quick: 2,000 training samples)"), std::string::npos)
      << smaller.title;
}

}  // namespace
}  // namespace descent

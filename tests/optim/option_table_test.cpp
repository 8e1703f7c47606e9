// The option tables and the registry of methods: settings read by name into
// config structs, their ranges and messages, defaults taken from the structs,
// and the introspection the command line (and a binding) lists them by.
#include "descent/optim/option_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "descent/core/error.hpp"
#include "descent/optim/adam.hpp"
#include "descent/optim/lbfgs.hpp"
#include "descent/optim/line_search.hpp"
#include "descent/optim/registry.hpp"
#include "descent/optim/schedule.hpp"

namespace descent {
namespace {

// A config of every member type a table can fill, with its own table.
enum class Shape { round, square };
std::string to_string(Shape shape) { return shape == Shape::round ? "round" : "square"; }

struct ToyConfig {
  double rate = 0.5;
  std::size_t count = 3;
  bool on = false;
  Shape shape = Shape::round;
  std::optional<double> limit;
  std::vector<std::size_t> steps;
};

struct OtherConfig {
  double rate = 0.25;
};

const OptionTable& toy_table() {
  static const OptionTable table = {
      {"rate", unit_interval(), "a rate", &ToyConfig::rate, &OtherConfig::rate},
      {"count", at_least(1).named("n"), "a count", &ToyConfig::count},
      {"on", {}, "a switch", &ToyConfig::on},
      {"shape", Choices<Shape>{{Shape::round, Shape::square}}, "a shape", &ToyConfig::shape},
      {"limit", positive(), "unset: none", &ToyConfig::limit},
      {"steps", non_negative(), "a list", &ToyConfig::steps},
  };
  return table;
}

std::string error_of(const std::function<void()>& act) {
  try {
    act();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(OptionTable, DeclaresTypesFromTheMembersAndDefaultsFromTheStructs) {
  const auto infos = option_infos(toy_table(), ToyConfig{});
  ASSERT_EQ(infos.size(), 6u);
  EXPECT_EQ(infos[0].spec.type, OptionType::real);
  EXPECT_EQ(std::get<double>(*infos[0].default_value), 0.5);
  EXPECT_EQ(infos[1].spec.type, OptionType::integer);
  EXPECT_EQ(std::get<std::int64_t>(*infos[1].default_value), 3);
  EXPECT_EQ(infos[2].spec.type, OptionType::boolean);
  EXPECT_EQ(infos[3].spec.type, OptionType::choice);
  EXPECT_EQ(infos[3].spec.choices, (std::vector<std::string>{"round", "square"}));
  EXPECT_EQ(std::get<std::string>(*infos[3].default_value), "round");
  EXPECT_FALSE(infos[4].default_value.has_value());  // an unset optional
  EXPECT_FALSE(infos[5].default_value.has_value());  // an empty list
  EXPECT_EQ(infos[5].spec.type, OptionType::integer_list);
  // One declaration fills the members of several structs, each its own default.
  const auto other = option_infos(toy_table(), OtherConfig{});
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(std::get<double>(*other[0].default_value), 0.25);
}

TEST(OptionTable, ReadsValuesByNameAndWritesThemBack) {
  ToyConfig config;
  std::set<std::string> read;
  const OptionValues values = {{"rate", std::int64_t{0}},  // an integer for a real
                               {"count", 7.0},             // a whole real for an integer
                               {"on", true},
                               {"shape", std::string("square")},
                               {"limit", 2.5},
                               {"steps", std::vector<std::int64_t>{10, 20}},
                               {"elsewhere", 1.0}};
  read_options(toy_table(), values, config, read);
  EXPECT_EQ(config.rate, 0.0);
  EXPECT_EQ(config.count, 7u);
  EXPECT_TRUE(config.on);
  EXPECT_EQ(config.shape, Shape::square);
  EXPECT_EQ(config.limit, 2.5);
  EXPECT_EQ(config.steps, (std::vector<std::size_t>{10, 20}));
  EXPECT_EQ(read.size(), 6u);
  EXPECT_FALSE(read.contains("elsewhere"));
  OptionValues expected = values;
  expected.erase("elsewhere");
  expected["rate"] = 0.0;
  expected["count"] = std::int64_t{7};
  EXPECT_EQ(option_values(toy_table(), config), expected);
}

TEST(OptionTable, NamesTheSettingAndWhatItExpects) {
  const auto read_one = [](const std::string& name, OptionValue value) {
    return error_of([&] {
      ToyConfig config;
      std::set<std::string> read;
      read_options(toy_table(), {{name, std::move(value)}}, config, read);
    });
  };
  EXPECT_EQ(read_one("rate", 1.0), "rate: expected a number in [0, 1), got 1");
  EXPECT_EQ(read_one("rate", std::string("fast")), "rate: expected a number, got 'fast'");
  EXPECT_EQ(read_one("count", std::int64_t{0}), "count: expected n >= 1, got 0");
  EXPECT_EQ(read_one("count", 2.5), "count: expected an integer, got 2.5");
  EXPECT_EQ(read_one("on", 1.0), "on: expected true or false, got 1");
  EXPECT_EQ(read_one("shape", std::string("oval")), "shape: expected round or square, got 'oval'");
  EXPECT_EQ(read_one("limit", 0.0), "limit: expected a finite number > 0, got 0");
  EXPECT_EQ(read_one("steps", std::vector<std::int64_t>{5, -1}),
            "steps: expected an integer >= 0, got -1");
  ToyConfig nan_rate;
  nan_rate.rate = std::nan("");
  EXPECT_EQ(error_of([&] { check_options(toy_table(), nan_rate); }),
            "rate: expected a number in [0, 1), got nan");
}

TEST(OptionTable, ParsesTheCommandLinesText) {
  const auto& table = toy_table();
  EXPECT_EQ(parse_option(find_option(table, "rate")->spec(), "0.25"), OptionValue(0.25));
  EXPECT_EQ(parse_option(find_option(table, "count")->spec(), "12"), OptionValue(std::int64_t{12}));
  EXPECT_EQ(parse_option(find_option(table, "on")->spec(), "false"), OptionValue(false));
  EXPECT_EQ(parse_option(find_option(table, "steps")->spec(), "3,5,8"),
            OptionValue(std::vector<std::int64_t>{3, 5, 8}));
  EXPECT_EQ(error_of([&] { parse_option(find_option(table, "count")->spec(), "1.5"); }),
            "count: expected an integer, got '1.5'");
  EXPECT_EQ(error_of([&] { parse_option(find_option(table, "on")->spec(), "yes please"); }),
            "on: expected true or false, got 'yes please'");
  EXPECT_EQ(descent::to_string(OptionValue(std::vector<std::int64_t>{3, 5})), "3,5");
  EXPECT_EQ(find_option(table, "nothing"), nullptr);
}

TEST(OptionRange, DescribesItselfAsTheMessagesSayIt) {
  EXPECT_EQ(unit_interval().describe(false), "a number in [0, 1)");
  EXPECT_EQ(between(0, true, 1, false).describe(false), "a number in (0, 1]");
  EXPECT_EQ(positive().describe(false), "a finite number > 0");
  EXPECT_EQ(at_least(2).describe(true), "an integer >= 2");
  EXPECT_EQ(between(0, true, 0.5, true).named("c1").describe(false), "0 < c1 < 0.5");
  EXPECT_FALSE(positive().contains(INFINITY));
  EXPECT_TRUE(between(0, true, 1, false).contains(1));
  EXPECT_FALSE(unit_interval().contains(1));
}

// The registry: one list of methods of every kind, each with its options.
TEST(Registry, ListsEveryMethodWithItsKindRateAndOptions) {
  const auto& methods = optimizer_methods();
  std::set<std::string> names;
  for (const MethodInfo& m : methods) EXPECT_TRUE(names.insert(m.name).second) << m.name;
  EXPECT_EQ(names.size(), optimizer_names().size() + quasi_newton_names().size());
  EXPECT_EQ(quasi_newton_names(), (std::vector<std::string>{"lbfgs", "cg", "olbfgs", "sfo"}));
  EXPECT_EQ(method_info("lbfgs").kind, OptimizerKind::line_search);
  EXPECT_EQ(method_info("cg").kind, OptimizerKind::line_search);
  EXPECT_EQ(method_info("olbfgs").kind, OptimizerKind::online_lbfgs);
  EXPECT_EQ(method_info("sfo").kind, OptimizerKind::sum_of_functions);
  EXPECT_TRUE(chooses_own_steps(OptimizerKind::sum_of_functions));
  EXPECT_FALSE(chooses_own_steps(OptimizerKind::online_lbfgs));
  EXPECT_EQ(method_info("sgd_momentum").name, "momentum");
  EXPECT_EQ(to_string(OptimizerKind::line_search), "line-search");
  for (const std::string& name : optimizer_names()) {
    EXPECT_EQ(method_info(name).kind, OptimizerKind::first_order) << name;
  }
  // The defaults of the papers and of torch.optim, read from the structs.
  const auto default_of = [](const std::string& method, const std::string& option) {
    for (const OptionInfo& info : method_info(method).options) {
      if (info.spec.name == option) return descent::to_string(*info.default_value);
    }
    return std::string("absent");
  };
  EXPECT_EQ(default_of("adam", "beta2"), "0.999");
  EXPECT_EQ(default_of("lion", "beta2"), "0.99");
  EXPECT_EQ(default_of("adamw", "weight-decay"), "0.01");
  EXPECT_EQ(default_of("rmsprop", "momentum"), "0");
  EXPECT_EQ(default_of("lbfgs", "history"), "10");
  EXPECT_EQ(default_of("lbfgs", "c2"), "0.9");  // N&W: 0.9 for quasi-Newton,
  EXPECT_EQ(default_of("cg", "c2"), "0.1");     // 0.1 for conjugate gradients
  EXPECT_EQ(default_of("cg", "line-search"), "strong-wolfe");
  EXPECT_EQ(default_of("olbfgs", "tau"), "10000");
  // SFO's, those of sfo.py (l.30-34); its partition's 0 is the authors' guidance.
  EXPECT_EQ(default_of("sfo", "history"), "10");
  EXPECT_EQ(default_of("sfo", "hessian-init"), "1e+05");
  EXPECT_EQ(default_of("sfo", "initial-active"), "2");
  EXPECT_EQ(default_of("sfo", "selection"), "distance-both");
  EXPECT_EQ(default_of("sfo", "subfunctions"), "0");
  EXPECT_EQ(default_of("sfo", "beta1"), "absent");
  EXPECT_EQ(default_of("sgd", "beta1"), "absent");
  EXPECT_EQ(default_of("cg", "history"), "absent");
  EXPECT_EQ(method_info("olbfgs").default_learning_rate, 0.1);
}

TEST(Registry, BuildsEveryKindFromOptionsByName) {
  const auto adam = method_config<AdamConfig>("adam", {{"beta1", 0.8}, {"eps", std::int64_t{1}}});
  EXPECT_EQ(adam.beta1, 0.8);
  EXPECT_EQ(adam.eps, 1.0);
  EXPECT_EQ(adam.beta2, AdamConfig{}.beta2);
  EXPECT_EQ(make_optimizer<double>("adam", {{"beta1", 0.8}})->name(), "adam");

  const auto lbfgs = make_line_search_parts<double>(
      "lbfgs", {{"history", std::int64_t{4}}, {"line-search", std::string("backtracking")}});
  EXPECT_EQ(lbfgs.direction->name(), "lbfgs");
  EXPECT_EQ(lbfgs.line_search.kind, LineSearchKind::backtracking);
  EXPECT_EQ(method_config<LineSearchSettings<LbfgsConfig>>("lbfgs", {{"history", std::int64_t{4}}})
                .direction.history,
            4u);
  const auto cg = make_line_search_parts<float>("cg", {});
  EXPECT_EQ(cg.direction->name(), "cg");
  EXPECT_EQ(cg.line_search.c2, 0.1);
  EXPECT_EQ(line_search_config("cg", {{"c2", 0.5}}).c2, 0.5);
  EXPECT_EQ(line_search_config("lbfgs", {}).c2, 0.9);
  EXPECT_EQ(online_lbfgs_config({{"lambda", 0.5}}).lambda, 0.5);

  EXPECT_EQ(error_of([] {
              make_line_search_parts<double>("cg", {{"history", std::int64_t{5}}});
            }),
            "history: not a setting of optimizer 'cg'");
  EXPECT_EQ(error_of([] {
              check_optimizer("lbfgs", {{"c1", 0.7}});
            }),
            "c1: expected 0 < c1 < 0.5, got 0.7");
  EXPECT_EQ(error_of([] {
              check_optimizer("lbfgs", {{"c1", 0.3}, {"c2", 0.2}});
            }),
            "c2: must satisfy c1 < c2 < 1 (c1 = 0.3), got 0.2");
  EXPECT_EQ(error_of([] {
              check_optimizer("adam", {{"beta1", std::string("high")}});
            }),
            "beta1: expected a number, got 'high'");
  EXPECT_EQ(error_of([] {
              check_optimizer("olbfgs", {{"history", std::int64_t{0}}});
            }),
            "history: expected m >= 1, got 0");
  EXPECT_EQ(error_of([] { make_line_search_parts<double>("adam", {}); }),
            "optimizer: 'adam' is not a line-search method");
  EXPECT_EQ(error_of([] { method_config<AdamConfig>("sgd", {}); }),
            "optimizer: 'sgd' is configured by another struct");
}

TEST(Registry, GivesEachMethodTheOptionsItTakes) {
  const OptimizerOptions flags = {{"beta1", 0.8}, {"history", std::int64_t{5}}, {"eps", 1e-6}};
  EXPECT_EQ(options_taken_by("adam", flags), (OptimizerOptions{{"beta1", 0.8}, {"eps", 1e-6}}));
  EXPECT_EQ(options_taken_by("lbfgs", flags), (OptimizerOptions{{"history", std::int64_t{5}}}));
  EXPECT_TRUE(options_taken_by("sgd", flags).empty());
}

// Every option the table declares belongs to some method, and every method's
// options are declarations of the table.
TEST(Registry, EveryOptionOfTheTableBelongsToAMethod) {
  std::set<std::string> used;
  for (const MethodInfo& method : optimizer_methods()) {
    for (const OptionInfo& option : method.options) {
      ASSERT_NE(find_option(optimizer_option_table(), option.spec.name), nullptr);
      ASSERT_TRUE(option.default_value.has_value()) << method.name << " " << option.spec.name;
      used.insert(option.spec.name);
    }
  }
  for (const OptionDeclaration& option : optimizer_option_table()) {
    EXPECT_TRUE(used.contains(option.name())) << option.name();
  }
}

TEST(ScheduleTable, HoldsEveryFieldAndChecksItsRanges) {
  const auto infos = option_infos(schedule_option_table(), ScheduleConfig{});
  ASSERT_EQ(infos.size(), 20u);
  EXPECT_EQ(infos[0].spec.name, "schedule");
  EXPECT_EQ(infos[0].spec.choices, schedule_names());
  EXPECT_EQ(option_infos(schedule_option_table(), PlateauConfig{}).size(), 6u);
  PlateauConfig plateau;
  plateau.threshold = -1;
  EXPECT_EQ(error_of([&] { plateau.validate(); }),
            "threshold: expected a finite number >= 0, got -1");
  const ScheduleConfig cosine = schedule_config(
      {{"schedule", std::string("cosine")}, {"period", std::int64_t{5}}, {"restarts", true}});
  EXPECT_EQ(cosine.kind, ScheduleKind::cosine);
  EXPECT_EQ(cosine.period, 5u);
  EXPECT_TRUE(cosine.restarts);
  EXPECT_EQ(error_of([] {
              schedule_config({{"beta1", 0.9}});
            }),
            "beta1: not a setting of the schedule");
  ScheduleConfig schedule;
  schedule.period_mult = 0;
  EXPECT_EQ(error_of([&] { schedule.validate(); }), "period-mult: expected an integer >= 1, got 0");
}

}  // namespace
}  // namespace descent

#include "descent/optim/schedule.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {
namespace {

// Reference data from tests/optim/reference/make_schedules.py (torch 1.13).
const nlohmann::json& reference_cases() {
  static const nlohmann::json cases = [] {
    std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/optim/reference/torch_schedules.json");
    EXPECT_TRUE(in) << "reference data missing";
    return nlohmann::json::parse(in).at("cases");
  }();
  return cases;
}

// A case's config, whose keys are the command line's flag names.
ScheduleConfig config_from(const nlohmann::json& j) {
  ScheduleConfig c;
  c.kind = parse_schedule_kind(j.at("kind"));
  const auto set = [&j](const char* key, auto& field) {
    if (j.contains(key)) j.at(key).get_to(field);
  };
  set("warmup", c.warmup);
  set("step-size", c.step_size);
  if (j.contains("gamma")) c.gamma = j.at("gamma").get<double>();
  set("decay", c.decay);
  set("milestones", c.milestones);
  set("period", c.period);
  set("restarts", c.restarts);
  set("period-mult", c.period_mult);
  set("min-lr", c.min_lr);
  if (j.contains("max-lr")) c.max_lr = j.at("max-lr").get<double>();
  set("total-steps", c.total_steps);
  set("pct-start", c.pct_start);
  set("div-factor", c.div_factor);
  set("final-div-factor", c.final_div_factor);
  if (j.contains("mode")) c.mode = parse_plateau_mode(j.at("mode"));
  set("factor", c.factor);
  set("patience", c.patience);
  set("threshold", c.threshold);
  set("cooldown", c.cooldown);
  return c;
}

double relative_error(double actual, double expected) {
  if (actual == expected) return 0;  // also both 0 (cosine at its minimum)
  return std::abs(actual - expected) / std::abs(expected);
}

// descent computes torch's closed forms operation for operation, so against
// _get_closed_form_lr (step, exponential, multistep, cosine) it agrees bit for
// bit with the same libm; the tolerance allows a few ulps for another libm.
// Against torch's usual step() path, which multiplies the previous rate (and
// for cosine runs a recursion), rounding accumulates: 3.5e-14 relative at worst
// in these cases (cosine near its minimum), hence 1e-12.
constexpr double kClosedFormTolerance = 1e-15;
constexpr double kTorchTolerance = 1e-12;

TEST(Schedule, MatchesTorchSchedulers) {
  double worst_torch = 0;
  double worst_closed = 0;
  int compared = 0;
  for (const auto& ref : reference_cases()) {
    if (ref.contains("metrics")) continue;
    const std::string name = ref.at("name");
    const auto config = config_from(ref.at("config"));
    const double base_lr = ref.at("base_lr");
    const Schedule schedule(config, base_lr);
    const auto torch_lrs = ref.at("lrs").get<std::vector<double>>();
    double worst = 0;
    for (std::size_t t = 0; t < torch_lrs.size(); ++t) {
      const double lr = schedule.lr(t);
      EXPECT_EQ(lr, schedule_lr(config, base_lr, t)) << name << " t=" << t;
      const double e = relative_error(lr, torch_lrs[t]);
      worst = std::max(worst, e);
      EXPECT_LE(e, kTorchTolerance) << name << " t=" << t << ": " << lr << " vs " << torch_lrs[t];
    }
    RecordProperty("max_relative_deviation_" + name, shortest(worst));
    worst_torch = std::max(worst_torch, worst);
    if (ref.contains("closed_form")) {
      const auto closed = ref.at("closed_form").get<std::vector<double>>();
      for (std::size_t t = 0; t < closed.size(); ++t) {
        const double e = relative_error(schedule.lr(t), closed[t]);
        worst_closed = std::max(worst_closed, e);
        EXPECT_LE(e, kClosedFormTolerance) << name << " t=" << t;
      }
    }
    ++compared;
  }
  EXPECT_EQ(compared, 15);
  RecordProperty("max_relative_deviation_torch_step", shortest(worst_torch));
  RecordProperty("max_relative_deviation_torch_closed_form", shortest(worst_closed));
}

// ReduceLROnPlateau multiplies by the same factor in the same order: equal bits.
TEST(Plateau, MatchesTorchReduceLROnPlateau) {
  int compared = 0;
  for (const auto& ref : reference_cases()) {
    if (!ref.contains("metrics")) continue;
    const std::string name = ref.at("name");
    Schedule schedule(config_from(ref.at("config")), ref.at("base_lr"));
    const auto metrics = ref.at("metrics").get<std::vector<double>>();
    const auto lrs = ref.at("lrs").get<std::vector<double>>();
    for (std::size_t e = 0; e < metrics.size(); ++e) {
      schedule.observe(metrics[e]);
      EXPECT_EQ(schedule.lr(1000 * e), lrs[e]) << name << " epoch " << e;
    }
    ++compared;
  }
  EXPECT_EQ(compared, 4);
}

ScheduleConfig make(ScheduleKind kind, const std::function<void(ScheduleConfig&)>& edit = {}) {
  ScheduleConfig c;
  c.kind = kind;
  if (edit) edit(c);
  return c;
}

// The cs231n notes' three decays, by hand.
TEST(Schedule, StepDecayByHand) {
  // 0.1 * 0.5^floor(t / 3)
  const auto c = make(ScheduleKind::step, [](auto& o) {
    o.step_size = 3;
    o.gamma = 0.5;
  });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 0), 0.1);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 2), 0.1);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 3), 0.05);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 8), 0.025);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 9), 0.0125);
  // gamma unset: torch's 0.1.
  const auto d = make(ScheduleKind::step, [](auto& o) { o.step_size = 10; });
  EXPECT_DOUBLE_EQ(schedule_lr(d, 1.0, 25), 0.01);
}

TEST(Schedule, ExponentialDecayByHand) {
  // lr * gamma^t
  const auto c = make(ScheduleKind::exponential, [](auto& o) { o.gamma = 0.5; });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 0), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 3), 0.125);
  const auto d = make(ScheduleKind::exponential, [](auto& o) { o.gamma = 0.9; });
  EXPECT_DOUBLE_EQ(schedule_lr(d, 0.1, 2), 0.081);
}

TEST(Schedule, InverseTimeDecayByHand) {
  // 0.1 / (1 + 0.5 t)
  const auto c = make(ScheduleKind::inverse_time, [](auto& o) { o.decay = 0.5; });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 0), 0.1);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 2), 0.05);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 6), 0.025);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 198), 0.001);
}

TEST(Schedule, MultistepByHand) {
  // gamma^(number of milestones <= t): a milestone's own update is already decayed.
  const auto c = make(ScheduleKind::multistep, [](auto& o) { o.milestones = {2, 5}; });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 1), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 2), 0.1);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 4), 0.1);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 5), 0.01);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 1000), 0.01);
}

TEST(Schedule, ConstantIsTheBaseRate) {
  const Schedule s(ScheduleConfig{}, 0.03);
  EXPECT_EQ(s.lr(0), 0.03);
  EXPECT_EQ(s.lr(123456789), 0.03);
}

TEST(Schedule, CosineByHandRisesAgainAfterThePeriodAsTorch) {
  // (1 + cos(pi t / 4)) / 2
  const auto c = make(ScheduleKind::cosine, [](auto& o) { o.period = 4; });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 0), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 1), (1 + std::numbers::sqrt2 / 2) / 2);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 2), 0.5);
  EXPECT_NEAR(schedule_lr(c, 1.0, 4), 0.0, 1e-16);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 6), 0.5);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 8), 1.0);
  // With min_lr: min_lr + (lr - min_lr) * (1 + cos) / 2.
  const auto d = make(ScheduleKind::cosine, [](auto& o) {
    o.period = 4;
    o.min_lr = 0.2;
  });
  EXPECT_DOUBLE_EQ(schedule_lr(d, 1.0, 2), 0.6);
  EXPECT_DOUBLE_EQ(schedule_lr(d, 1.0, 4), 0.2);
}

TEST(Schedule, WarmRestartsByHand) {
  // Cycles of 2, 4, 8 updates start at t = 0, 2, 6, 14.
  const auto c = make(ScheduleKind::cosine, [](auto& o) {
    o.period = 2;
    o.restarts = true;
    o.period_mult = 2;
  });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 0), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 1), 0.5);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 2), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 3), (1 + std::numbers::sqrt2 / 2) / 2);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 4), 0.5);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 6), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 10), 0.5);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 1.0, 14), 1.0);
  // Far out, cycle lengths saturate instead of overflowing.
  const auto huge = make(ScheduleKind::cosine, [](auto& o) {
    o.period = std::size_t{1} << 40;
    o.restarts = true;
    o.period_mult = std::size_t{1} << 30;
  });
  const double far = schedule_lr(huge, 1.0, std::numeric_limits<std::size_t>::max());
  EXPECT_TRUE(far >= 0 && far <= 1.0);
}

TEST(Schedule, OneCycleByHand) {
  // peak 1, start 1/4, end 1/40; the rise ends at 0.5 * 10 - 1 = 4, the fall at 9.
  const auto c = make(ScheduleKind::one_cycle, [](auto& o) {
    o.max_lr = 1.0;
    o.total_steps = 10;
    o.pct_start = 0.5;
    o.div_factor = 4;
    o.final_div_factor = 10;
  });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.001, 0), 0.25);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.001, 2), 0.625);  // halfway up: (0.25 + 1) / 2
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.001, 4), 1.0);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.001, 9), 0.025);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.001, 10), 0.025);  // held after the cycle
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.001, 1000), 0.025);
  // Without max-lr the peak is the base rate.
  auto d = c;
  d.max_lr.reset();
  EXPECT_DOUBLE_EQ(schedule_lr(d, 0.5, 4), 0.5);
  EXPECT_DOUBLE_EQ(schedule_lr(d, 0.5, 0), 0.125);
}

// lr * (t + 1) / (warmup + 1), then the schedule from its own update 0.
TEST(Schedule, WarmupRampsLinearlyThenStartsTheSchedule) {
  const auto c = make(ScheduleKind::constant, [](auto& o) { o.warmup = 4; });
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 0), 0.02);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 1), 0.04);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 3), 0.08);
  EXPECT_DOUBLE_EQ(schedule_lr(c, 0.1, 4), 0.1);

  for (const auto kind : {ScheduleKind::step, ScheduleKind::exponential, ScheduleKind::cosine,
                          ScheduleKind::one_cycle, ScheduleKind::multistep}) {
    auto plain = make(kind, [](auto& o) {
      o.step_size = 3;
      o.gamma = 0.7;
      o.period = 5;
      o.restarts = true;
      o.total_steps = 20;
      o.milestones = {1, 4};
    });
    auto warm = plain;
    warm.warmup = 6;
    for (std::size_t t = 0; t < 6; ++t) {
      EXPECT_DOUBLE_EQ(schedule_lr(warm, 0.3, t), 0.3 * static_cast<double>(t + 1) / 7);
    }
    for (std::size_t s = 0; s < 30; ++s) {
      EXPECT_EQ(schedule_lr(warm, 0.3, 6 + s), schedule_lr(plain, 0.3, s)) << to_string(kind);
    }
  }
}

TEST(Schedule, WarmupRampsThePlateauRate) {
  const auto c = make(ScheduleKind::plateau, [](auto& o) {
    o.warmup = 3;
    o.patience = 0;
    o.factor = 0.5;
  });
  Schedule s(c, 0.4);
  EXPECT_DOUBLE_EQ(s.lr(0), 0.1);
  EXPECT_DOUBLE_EQ(s.lr(3), 0.4);
  s.observe(1.0);
  s.observe(1.0);  // not better: halved
  EXPECT_DOUBLE_EQ(s.lr(0), 0.05);
  EXPECT_DOUBLE_EQ(s.lr(2), 0.15);
  EXPECT_DOUBLE_EQ(s.lr(3), 0.2);
}

ScheduleConfig plateau_config(std::size_t patience, std::size_t cooldown) {
  return make(ScheduleKind::plateau, [&](auto& o) {
    o.patience = patience;
    o.cooldown = cooldown;
    o.factor = 0.5;
  });
}

std::vector<double> observe_all(Schedule& s, const std::vector<double>& metrics) {
  std::vector<double> lrs;
  for (const double m : metrics) {
    s.observe(m);
    lrs.push_back(s.lr(0));
  }
  return lrs;
}

TEST(Plateau, ReducesOnlyAfterMoreThanPatienceBadEpochs) {
  Schedule s(plateau_config(2, 0), 1.0);
  // The first metric sets best; two bad epochs are tolerated, the third is not.
  EXPECT_EQ(observe_all(s, {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0}),
            (std::vector<double>{1, 1, 1, 0.5, 0.5, 0.5, 0.25}));
  // An improvement resets the count.
  Schedule r(plateau_config(2, 0), 1.0);
  EXPECT_EQ(observe_all(r, {1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5}),
            (std::vector<double>{1, 1, 1, 1, 1, 1, 0.5}));
}

TEST(Plateau, CooldownIgnoresBadEpochsAfterAReduction) {
  Schedule s(plateau_config(1, 2), 1.0);
  // Reduced at epoch 2; epochs 3 and 4 are the cooldown; then two more bad
  // epochs are needed (patience 1).
  EXPECT_EQ(observe_all(s, {1, 1, 1, 1, 1, 1, 1, 1, 1}),
            (std::vector<double>{1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25}));
}

TEST(Plateau, RelativeThresholdModeMaxAndFloor) {
  auto c = plateau_config(0, 0);
  c.threshold = 0.1;
  c.min_lr = 0.3;
  Schedule s(c, 1.0);
  // 0.95 is not below 1.0 * (1 - 0.1): not an improvement.
  EXPECT_EQ(observe_all(s, {1.0, 0.95, 0.89, 0.85, 0.1}),
            (std::vector<double>{1, 0.5, 0.5, 0.3, 0.3}));

  auto m = plateau_config(0, 0);
  m.mode = PlateauMode::max;
  Schedule a(m, 1.0);
  EXPECT_EQ(observe_all(a, {0.5, 0.6, 0.6, 0.7, std::nan("")}),
            (std::vector<double>{1, 1, 0.5, 0.5, 0.25}));
}

TEST(Plateau, SaveLoadMidRunContinuesIdentically) {
  const auto c = make(ScheduleKind::plateau, [](auto& o) {
    o.patience = 2;
    o.cooldown = 1;
    o.factor = 0.3;
    o.min_lr = 1e-4;
  });
  std::vector<double> metrics;
  for (int e = 0; e < 40; ++e) metrics.push_back(1.0 / (1 + e % 9) + 0.001 * e);

  Schedule whole(c, 0.1);
  const auto expected = observe_all(whole, metrics);

  Schedule first(c, 0.1);
  const std::vector<double> head(metrics.begin(), metrics.begin() + 17);
  const std::vector<double> tail(metrics.begin() + 17, metrics.end());
  auto lrs = observe_all(first, head);
  ByteWriter out;
  first.save(out);
  Schedule resumed(c, 0.1);
  ByteReader in(out.bytes(), "schedule state");
  resumed.load(in);
  EXPECT_TRUE(in.at_end());
  const auto rest = observe_all(resumed, tail);
  lrs.insert(lrs.end(), rest.begin(), rest.end());
  EXPECT_EQ(lrs, expected);

  // Not loading the state gives another run: the state matters.
  Schedule fresh(c, 0.1);
  EXPECT_NE(observe_all(fresh, tail), std::vector<double>(expected.begin() + 17, expected.end()));
}

TEST(Schedule, LoadRefusesAnotherKindOrTruncatedState) {
  ByteWriter out;
  Schedule(make(ScheduleKind::cosine, [](auto& o) { o.period = 3; }), 0.1).save(out);
  Schedule plateau(plateau_config(1, 0), 0.1);
  ByteReader in(out.bytes(), "state");
  EXPECT_THROW(plateau.load(in), FormatError);

  ByteWriter full;
  plateau.save(full);
  const std::string cut = full.bytes().substr(0, full.bytes().size() - 3);
  ByteReader short_in(cut, "state");
  EXPECT_THROW(plateau.load(short_in), FormatError);
}

TEST(Schedule, PureKindsIgnoreMetricsAndRoundTripTheirEmptyState) {
  Schedule s(make(ScheduleKind::exponential, [](auto& o) { o.gamma = 0.9; }), 0.1);
  const double before = s.lr(5);
  s.observe(1.0);
  s.observe(2.0);
  EXPECT_EQ(s.lr(5), before);
  ByteWriter out;
  s.save(out);
  ByteReader in(out.bytes(), "state");
  Schedule t(s.config(), 0.1);
  t.load(in);
  EXPECT_TRUE(in.at_end());
}

TEST(Schedule, ScheduleLrRefusesPlateau) {
  EXPECT_THROW(schedule_lr(plateau_config(1, 0), 0.1, 0), ConfigError);
}

TEST(Schedule, ParsesEveryNameAndListsTheChoicesForUnknownOnes) {
  ASSERT_EQ(schedule_names().size(), 8u);
  for (const auto& name : schedule_names()) EXPECT_EQ(to_string(parse_schedule_kind(name)), name);
  EXPECT_EQ(parse_schedule_kind("inverse-time"), ScheduleKind::inverse_time);
  EXPECT_EQ(parse_schedule_kind("one-cycle"), ScheduleKind::one_cycle);
  try {
    parse_schedule_kind("cosin");
    FAIL();
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'cosin'"), std::string::npos) << what;
    for (const auto& name : schedule_names()) EXPECT_NE(what.find(name), std::string::npos);
  }
  EXPECT_EQ(parse_plateau_mode("max"), PlateauMode::max);
  EXPECT_THROW(parse_plateau_mode("maximum"), ConfigError);
}

// validate() names the field by its flag, and the message begins with it.
TEST(Schedule, ValidateNamesTheField) {
  using K = ScheduleKind;
  const double nan = std::nan("");
  const std::vector<std::pair<ScheduleConfig, std::string>> bad = {
      {make(K::step,
            [](auto& o) {
              o.step_size = 2;
              o.gamma = 1.5;
            }),
       "gamma: expected a number in (0, 1], got 1.5"},
      {make(K::constant, [](auto& o) { o.gamma = 0.0; }), "gamma:"},
      {make(K::step), "step-size: expected an integer >= 1, got 0"},
      {make(K::exponential), "gamma:"},
      {make(K::inverse_time), "decay: expected a finite number > 0, got 0"},
      {make(K::constant, [](auto& o) { o.decay = -1; }), "decay:"},
      {make(K::multistep), "milestones:"},
      {make(K::multistep,
            [](auto& o) {
              o.milestones = {5, 3};
            }),
       "milestones: expected increasing steps, got 5,3"},
      {make(K::multistep,
            [](auto& o) {
              o.milestones = {5, 5};
            }),
       "milestones:"},
      {make(K::cosine), "period: expected an integer >= 1, got 0"},
      {make(K::cosine,
            [](auto& o) {
              o.period = 3;
              o.period_mult = 0;
            }),
       "period-mult:"},
      {make(K::cosine,
            [](auto& o) {
              o.period = 3;
              o.min_lr = -1e-3;
            }),
       "min-lr:"},
      {make(K::one_cycle,
            [](auto& o) {
              o.total_steps = 100;
              o.max_lr = -1.0;
            }),
       "max-lr:"},
      {make(K::one_cycle), "total-steps: expected an integer >= 2, got 0"},
      {make(K::one_cycle,
            [](auto& o) {
              o.total_steps = 100;
              o.pct_start = 1;
            }),
       "pct-start: expected a number in (0, 1), got 1"},
      {make(K::one_cycle, [](auto& o) { o.total_steps = 3; }),
       "pct-start: expected pct-start * total-steps > 1, got 0.3 * 3"},
      {make(K::one_cycle,
            [](auto& o) {
              o.total_steps = 100;
              o.div_factor = 0;
            }),
       "div-factor:"},
      {make(K::one_cycle,
            [&](auto& o) {
              o.total_steps = 100;
              o.final_div_factor = nan;
            }),
       "final-div-factor:"},
      {make(K::plateau, [](auto& o) { o.factor = 1; }),
       "factor: expected a number in (0, 1), got 1"},
      {make(K::plateau, [](auto& o) { o.threshold = -0.1; }), "threshold:"},
      {make(K::plateau, [&](auto& o) { o.min_lr = nan; }), "min-lr:"},
  };
  for (const auto& [config, message] : bad) {
    try {
      config.validate();
      ADD_FAILURE() << "accepted, expected " << message;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(message, 0), 0u) << e.what();
    }
    EXPECT_THROW(Schedule(config, 0.1), ConfigError) << message;
  }
  try {
    Schedule(ScheduleConfig{}, 0.0);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("lr:", 0), 0u) << e.what();
  }
  // The defaults of every kind that needs nothing more are valid.
  EXPECT_NO_THROW(ScheduleConfig{}.validate());
  EXPECT_NO_THROW(make(K::plateau).validate());
}

TEST(Schedule, DescribeSaysWhatItDoes) {
  const auto step = make(ScheduleKind::step, [](auto& o) {
    o.step_size = 30;
    o.gamma = 0.5;
    o.warmup = 5;
  });
  EXPECT_EQ(Schedule(step, 0.1).describe(),
            "linear warm-up over 5 updates, then step: 0.1 * 0.5^floor(t / 30)");
  Schedule plateau(plateau_config(0, 0), 0.1);
  plateau.observe(1.0);
  plateau.observe(1.0);
  const auto text = plateau.describe();
  EXPECT_EQ(text.rfind("plateau: ", 0), 0u) << text;
  EXPECT_NE(text.find("now 0.05"), std::string::npos) << text;
  for (const auto& name : schedule_names()) {
    auto c = make(parse_schedule_kind(name), [](auto& o) {
      o.step_size = 1;
      o.gamma = 0.9;
      o.decay = 0.1;
      o.milestones = {3};
      o.period = 10;
      o.total_steps = 10;
    });
    EXPECT_EQ(Schedule(c, 0.1).describe().rfind(name + ": ", 0), 0u) << name;
  }
}

}  // namespace
}  // namespace descent

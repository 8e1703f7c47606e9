// Schedule names, and the table of ScheduleConfig's fields with their ranges.
#include <array>
#include <set>
#include <utility>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/check.hpp"
#include "descent/optim/plateau.hpp"
#include "descent/optim/schedule.hpp"

namespace descent {

namespace {

constexpr std::array<std::pair<ScheduleKind, const char*>, 8> kNames = {{
    {ScheduleKind::constant, "constant"},
    {ScheduleKind::step, "step"},
    {ScheduleKind::exponential, "exponential"},
    {ScheduleKind::inverse_time, "inverse-time"},
    {ScheduleKind::multistep, "multistep"},
    {ScheduleKind::cosine, "cosine"},
    {ScheduleKind::plateau, "plateau"},
    {ScheduleKind::one_cycle, "one-cycle"},
}};

void check_at_least(const std::string& field, std::size_t value, std::size_t least) {
  if (value < least) {
    throw ConfigError(field + ": expected an integer >= " + std::to_string(least) + ", got " +
                      std::to_string(value));
  }
}

std::string join(const std::vector<std::size_t>& values) {
  std::string out;
  for (const auto v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}

}  // namespace

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [kind, name] : kNames) out.emplace_back(name);
    return out;
  }();
  return names;
}

ScheduleKind parse_schedule_kind(const std::string& name) {
  for (const auto& [kind, known] : kNames) {
    if (name == known) return kind;
  }
  std::string choices;
  for (const auto& known : schedule_names()) choices += (choices.empty() ? "" : ", ") + known;
  throw ConfigError("schedule: unknown '" + name + "', expected one of: " + choices);
}

std::string to_string(ScheduleKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

const OptionTable& schedule_option_table() {
  using S = ScheduleConfig;
  using P = PlateauConfig;
  static const OptionTable table = [] {
    Choices<ScheduleKind> kinds;
    for (const auto& [kind, name] : kNames) kinds.values.push_back(kind);
    return OptionTable{
        {"schedule", kinds, "Learning-rate schedule", &S::kind},
        {"warmup", non_negative(), "Updates of linear warm-up before the schedule", &S::warmup},
        {"step-size", non_negative(), "step: updates between decays", &S::step_size},
        {"gamma", between(0, true, 1, false),
         "step, multistep: factor per decay (unset: 0.1); exponential: factor per update",
         &S::gamma},
        {"decay", non_negative(), "inverse-time: lr / (1 + decay t)", &S::decay},
        {"milestones", non_negative(), "multistep: updates at which lr *= gamma", &S::milestones},
        {"period", non_negative(), "cosine: T_max, or the first cycle with --restarts", &S::period},
        {"restarts", {}, "cosine: warm restarts (SGDR)", &S::restarts},
        {"period-mult", at_least(1), "cosine with restarts: cycle growth T_mult", &S::period_mult},
        {"min-lr", non_negative(), "cosine: eta_min; plateau: the floor", &S::min_lr, &P::min_lr},
        {"max-lr", positive(), "one-cycle: the peak (unset: --lr)", &S::max_lr},
        {"total-steps", non_negative(), "one-cycle: length of the cycle in updates",
         &S::total_steps},
        {"pct-start", between(0, true, 1, true), "one-cycle: share of the cycle spent rising",
         &S::pct_start},
        {"div-factor", positive(), "one-cycle: start = peak / div-factor", &S::div_factor},
        {"final-div-factor", positive(), "one-cycle: end = start / final-div-factor",
         &S::final_div_factor},
        {"mode", Choices<PlateauMode>{{PlateauMode::min, PlateauMode::max}},
         "plateau: min (a loss) or max (an accuracy)", &S::mode, &P::mode},
        {"factor", between(0, true, 1, true), "plateau: lr *= factor on a plateau", &S::factor,
         &P::factor},
        {"patience", non_negative(), "plateau: evaluations without improvement tolerated",
         &S::patience, &P::patience},
        {"threshold", non_negative(), "plateau: relative improvement that counts", &S::threshold,
         &P::threshold},
        {"cooldown", non_negative(), "plateau: evaluations ignored after a reduction", &S::cooldown,
         &P::cooldown},
    };
  }();
  return table;
}

ScheduleConfig schedule_config(const OptionValues& values) {
  ScheduleConfig config;
  std::set<std::string> read;
  read_options(schedule_option_table(), values, config, read);
  for (const auto& [name, value] : values) {
    if (!read.contains(name)) throw ConfigError(name + ": not a setting of the schedule");
  }
  return config;
}

PlateauConfig ScheduleConfig::plateau() const {
  return {.mode = mode,
          .factor = factor,
          .patience = patience,
          .threshold = threshold,
          .cooldown = cooldown,
          .min_lr = min_lr};
}

void ScheduleConfig::validate() const {
  using K = ScheduleKind;
  // Ranges that hold whatever the kind.
  check_options(schedule_option_table(), *this);
  for (std::size_t i = 1; i < milestones.size(); ++i) {
    if (milestones[i] <= milestones[i - 1]) {
      throw ConfigError("milestones: expected increasing steps, got " + join(milestones));
    }
  }

  // Fields without a default, for the kinds that use them.
  switch (kind) {
    case K::step:
      check_at_least("step-size", step_size, 1);
      break;
    case K::exponential:
      if (!gamma) {
        throw ConfigError(
            "gamma: the exponential schedule needs one, a factor per update such as 0.999");
      }
      break;
    case K::inverse_time:
      check_positive("decay", decay);
      break;
    case K::multistep:
      if (milestones.empty()) throw ConfigError("milestones: expected at least one step");
      break;
    case K::cosine:
      check_at_least("period", period, 1);
      break;
    case K::one_cycle:
      check_at_least("total-steps", total_steps, 2);
      // The rise ends at update pct_start * total_steps - 1, which must be past
      // update 0 (torch divides by it).
      if (!(pct_start * static_cast<double>(total_steps) > 1)) {
        throw ConfigError("pct-start: expected pct-start * total-steps > 1, got " +
                          shortest(pct_start) + " * " + std::to_string(total_steps));
      }
      break;
    case K::constant:
    case K::plateau:
      break;
  }
}

}  // namespace descent

// Schedule names and the ranges of ScheduleConfig's fields.
#include <array>
#include <utility>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/check.hpp"
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
  if (gamma && !(*gamma > 0 && *gamma <= 1)) {
    throw ConfigError("gamma: expected a number in (0, 1], got " + shortest(*gamma));
  }
  check_non_negative("decay", decay);
  for (std::size_t i = 1; i < milestones.size(); ++i) {
    if (milestones[i] <= milestones[i - 1]) {
      throw ConfigError("milestones: expected increasing steps, got " + join(milestones));
    }
  }
  check_at_least("period-mult", period_mult, 1);
  check_non_negative("min-lr", min_lr);
  if (max_lr) check_positive("max-lr", *max_lr);
  if (!(pct_start > 0 && pct_start < 1)) {
    throw ConfigError("pct-start: expected a number in (0, 1), got " + shortest(pct_start));
  }
  check_positive("div-factor", div_factor);
  check_positive("final-div-factor", final_div_factor);
  plateau().validate();

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

// The schedules' formulas (see schedule.hpp), written as torch's closed forms
// evaluate them, operation for operation, so that they agree to the last bits.
#include "descent/optim/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/check.hpp"

namespace descent {

namespace {

constexpr double kPi = std::numbers::pi;

double as_double(std::size_t n) { return static_cast<double>(n); }

double gamma_of(const ScheduleConfig& c) { return c.gamma.value_or(0.1); }

// lr * (t + 1) / (warmup + 1), for t < warmup.
double warmed_up(double lr, std::size_t t, std::size_t warmup) {
  return lr * as_double(t + 1) / as_double(warmup + 1);
}

// SGDR's position at update t: {T_cur, T_i}, the updates since the last restart
// and the length of the current cycle (T_0 = period, T_(i+1) = T_i * period_mult).
std::pair<std::size_t, std::size_t> sgdr_position(std::size_t t, std::size_t period,
                                                  std::size_t mult) {
  if (mult == 1) return {t % period, period};
  constexpr auto kMax = std::numeric_limits<std::size_t>::max();
  std::size_t cur = t;
  std::size_t len = period;
  while (cur >= len) {
    cur -= len;
    len = len > kMax / mult ? kMax : len * mult;
  }
  return {cur, len};
}

// torch's OneCycleLR._annealing_cos: from a (p = 0) to b (p = 1) on half a cosine.
double anneal(double a, double b, double p) { return b + (a - b) / 2.0 * (std::cos(kPi * p) + 1); }

double one_cycle(const ScheduleConfig& c, double lr, std::size_t t) {
  const double peak = c.max_lr.value_or(lr);
  const double start = peak / c.div_factor;
  const double end = start / c.final_div_factor;
  const double s1 = c.pct_start * as_double(c.total_steps) - 1;  // the rise ends here
  const double s2 = as_double(c.total_steps - 1);                // the fall ends here
  const double step = as_double(std::min(t, c.total_steps - 1));
  if (step <= s1) return anneal(start, peak, step / s1);
  return anneal(peak, end, (step - s1) / (s2 - s1));
}

// lr(t) of a pure kind, counting t from the end of the warm-up.
double after_warmup(const ScheduleConfig& c, double lr, std::size_t t) {
  switch (c.kind) {
    case ScheduleKind::constant:
      return lr;
    case ScheduleKind::step:
      // lr * gamma^floor(t / step_size)
      return lr * std::pow(gamma_of(c), as_double(t / c.step_size));
    case ScheduleKind::exponential:
      // lr * gamma^t
      return lr * std::pow(*c.gamma, as_double(t));
    case ScheduleKind::inverse_time:
      // lr / (1 + decay * t)
      return lr / (1.0 + c.decay * as_double(t));
    case ScheduleKind::multistep: {
      // lr * gamma^(number of milestones <= t)
      const auto passed =
          std::upper_bound(c.milestones.begin(), c.milestones.end(), t) - c.milestones.begin();
      return lr * std::pow(gamma_of(c), static_cast<double>(passed));
    }
    case ScheduleKind::cosine: {
      // min_lr + (lr - min_lr) * (1 + cos(pi * T_cur / T_i)) / 2
      const auto [cur, len] =
          c.restarts ? sgdr_position(t, c.period, c.period_mult) : std::pair{t, c.period};
      return c.min_lr + (lr - c.min_lr) * (1 + std::cos(kPi * as_double(cur) / as_double(len))) / 2;
    }
    case ScheduleKind::one_cycle:
      return one_cycle(c, lr, t);
    case ScheduleKind::plateau:
      break;
  }
  throw ConfigError("schedule: plateau depends on the metric, not on the step alone");
}

double pure_lr(const ScheduleConfig& c, double lr, std::size_t t) {
  return t < c.warmup ? warmed_up(lr, t, c.warmup) : after_warmup(c, lr, t - c.warmup);
}

std::string formula(const ScheduleConfig& c, double lr) {
  const auto s = [](double v) { return shortest(v); };
  switch (c.kind) {
    case ScheduleKind::constant:
      return s(lr);
    case ScheduleKind::step:
      return s(lr) + " * " + s(gamma_of(c)) + "^floor(t / " + std::to_string(c.step_size) + ")";
    case ScheduleKind::exponential:
      return s(lr) + " * " + s(*c.gamma) + "^t";
    case ScheduleKind::inverse_time:
      return s(lr) + " / (1 + " + s(c.decay) + " t)";
    case ScheduleKind::multistep: {
      std::string at;
      for (const auto m : c.milestones) at += (at.empty() ? "" : ",") + std::to_string(m);
      return s(lr) + " * " + s(gamma_of(c)) + "^(milestones <= t), milestones " + at;
    }
    case ScheduleKind::cosine: {
      const std::string t = c.restarts ? "T_cur / T_i" : "t / " + std::to_string(c.period);
      std::string out =
          s(c.min_lr) + " + (" + s(lr) + " - " + s(c.min_lr) + ") (1 + cos(pi " + t + ")) / 2";
      if (c.restarts) {
        out += ", warm restarts with T_0 " + std::to_string(c.period) + ", T_mult " +
               std::to_string(c.period_mult);
      }
      return out;
    }
    case ScheduleKind::one_cycle: {
      const double peak = c.max_lr.value_or(lr);
      return "cosine from " + s(peak / c.div_factor) + " up to " + s(peak) + " at update " +
             s(c.pct_start * as_double(c.total_steps) - 1) + ", down to " +
             s(peak / c.div_factor / c.final_div_factor) + " at update " +
             std::to_string(c.total_steps - 1);
    }
    case ScheduleKind::plateau:
      return s(lr) + " * " + s(c.factor) + " after more than " + std::to_string(c.patience) +
             " epochs without a " + s(c.threshold) + " relative improvement (mode " +
             to_string(c.mode) + "), cooldown " + std::to_string(c.cooldown) + ", min-lr " +
             s(c.min_lr);
  }
  return {};
}

}  // namespace

double schedule_lr(const ScheduleConfig& config, double base_lr, std::size_t t) {
  config.validate();
  check_positive("lr", base_lr);
  if (config.kind == ScheduleKind::plateau) {
    throw ConfigError(
        "schedule: plateau depends on the metric, not on the step alone; use class Schedule");
  }
  return pure_lr(config, base_lr, t);
}

Schedule::Schedule(ScheduleConfig config, double base_lr)
    : config_(std::move(config)), base_lr_(base_lr) {
  config_.validate();
  check_positive("lr", base_lr_);
  if (config_.kind == ScheduleKind::plateau) plateau_.emplace(config_.plateau(), base_lr_);
}

double Schedule::lr(std::size_t t) const {
  if (!plateau_) return pure_lr(config_, base_lr_, t);
  return t < config_.warmup ? warmed_up(plateau_->lr(), t, config_.warmup) : plateau_->lr();
}

void Schedule::observe(double metric) {
  if (plateau_) plateau_->observe(metric);
}

void Schedule::save(ByteWriter& out) const {
  out.put_string(to_string(config_.kind));
  if (plateau_) plateau_->save(out);
}

void Schedule::load(ByteReader& in) {
  const std::string kind = in.get_string("schedule");
  if (kind != to_string(config_.kind)) {
    in.fail("schedule", "expected the state of a '" + to_string(config_.kind) +
                            "' schedule, found '" + kind + "'");
  }
  if (plateau_) plateau_->load(in);
}

std::string Schedule::describe() const {
  std::string out;
  if (config_.warmup > 0) {
    out = "linear warm-up over " + std::to_string(config_.warmup) + " updates, then ";
  }
  out += to_string(config_.kind) + ": " + formula(config_, base_lr_);
  if (plateau_) out += "; now " + shortest(plateau_->lr());
  return out;
}

}  // namespace descent

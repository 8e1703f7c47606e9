// Learning-rate schedules. The trainer asks for lr(t), the learning rate of
// update t (counted from 0), and passes it to Optimizer::step(). Every kind but
// plateau is a pure function of t and the base learning rate lr:
//
//   constant      lr
//   step          lr * gamma^floor(t / step_size)                  (cs231n "step decay")
//   exponential   lr * gamma^t                                     (cs231n "exponential decay")
//   inverse-time  lr / (1 + decay * t)                             (cs231n "1/t decay")
//   multistep     lr * gamma^(number of milestones <= t)
//   cosine        min_lr + (lr - min_lr) * (1 + cos(pi * t / period)) / 2
//                 (Loshchilov & Hutter 2017, eq. 5, without restarts; like torch's
//                 closed form it rises again after t = period, with period 2 * period)
//   cosine with restarts (SGDR): the same with t replaced by T_cur, the steps since
//                 the last restart, and period by T_i, the length of the current
//                 cycle: T_0 = period, T_(i+1) = T_i * period_mult
//   one-cycle     Smith & Topor 2019 as torch's OneCycleLR (anneal_strategy "cos",
//                 three_phase false), learning rate only: no momentum cycling.
//                 With peak = max_lr (default: lr), start = peak / div_factor and
//                 end = start / final_div_factor, for s1 = pct_start * total_steps - 1
//                 and s2 = total_steps - 1:
//                   t <= s1: anneal(start, peak, t / s1)
//                   t >  s1: anneal(peak, end, (t - s1) / (s2 - s1))
//                   anneal(a, b, p) = b + (a - b) / 2 * (cos(pi * p) + 1)
//                 After s2 the rate stays at `end` (torch raises there).
//   plateau       ReduceOnPlateau (plateau.hpp), fed a metric per epoch.
//
// Warm-up, for every kind: the first `warmup` updates ramp linearly,
//   lr(t) = lr * (t + 1) / (warmup + 1)          for t < warmup,
// and the schedule then starts from its own step 0: lr(t) = schedule(t - warmup).
// This is torch's LinearLR(start_factor = 1 / (warmup + 1), end_factor = 1,
// total_iters = warmup) followed by the schedule in SequentialLR(milestones =
// [warmup]); the ramp's next point would be the schedule's first, lr.
// For plateau the warm-up ramps its current rate, and metrics observed during
// it count as usual.
//
// The formulas are closed forms of t, as torch's _get_closed_form_lr; torch's
// usual step() path multiplies the previous rate instead and differs from them
// by rounding only (about 1e-14 relative, see tests/optim/schedule_test.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/optim/option_table.hpp"
#include "descent/optim/plateau.hpp"

namespace descent {

enum class ScheduleKind {
  constant,
  step,
  exponential,
  inverse_time,
  multistep,
  cosine,
  plateau,
  one_cycle
};

// Every name parse_schedule_kind accepts, in the order --help lists them.
const std::vector<std::string>& schedule_names();
// "constant", "step", "exponential", "inverse-time", "multistep", "cosine",
// "plateau" or "one-cycle"; ConfigError listing them for any other name.
ScheduleKind parse_schedule_kind(const std::string& name);
std::string to_string(ScheduleKind kind);

// Each field is named by its command-line flag (schedule_option_table()
// declares them). Fields a kind does not use are ignored by it but still have
// to be in range. Fields that default to 0 have no sensible default and must
// be set for the kinds that use them.
struct ScheduleConfig {
  ScheduleKind kind = ScheduleKind::constant;  // --schedule
  std::size_t warmup = 0;                      // --warmup: updates of linear warm-up

  std::size_t step_size = 0;  // --step-size (step): updates between decays, >= 1
  // --gamma (step, multistep, exponential): factor per decay, in (0, 1]. Unset:
  // 0.1 for step and multistep (torch's default); exponential needs it set
  // (a per-update factor such as 0.999).
  std::optional<double> gamma;
  double decay = 0;                     // --decay (inverse-time): > 0
  std::vector<std::size_t> milestones;  // --milestones (multistep): increasing updates

  std::size_t period = 0;       // --period (cosine): T_max, or T_0 with restarts; >= 1
  bool restarts = false;        // --restarts (cosine): SGDR warm restarts
  std::size_t period_mult = 1;  // --period-mult (cosine with restarts): T_mult, >= 1
  double min_lr = 0;            // --min-lr (cosine: eta_min; plateau: the floor), >= 0

  std::optional<double> max_lr;   // --max-lr (one-cycle): the peak; unset: the base lr
  std::size_t total_steps = 0;    // --total-steps (one-cycle): length of the cycle, >= 2
  double pct_start = 0.3;         // --pct-start (one-cycle): rising share, in (0, 1)
  double div_factor = 25;         // --div-factor (one-cycle): start = peak / div_factor
  double final_div_factor = 1e4;  // --final-div-factor (one-cycle): end = start / this

  PlateauMode mode = PlateauMode::min;  // --mode (plateau): min (loss) or max (accuracy)
  double factor = 0.1;                  // --factor (plateau): in (0, 1)
  std::size_t patience = 10;            // --patience (plateau)
  double threshold = 1e-4;              // --threshold (plateau): relative, >= 0
  std::size_t cooldown = 0;             // --cooldown (plateau)

  // ConfigError naming the flag of the first field out of range, e.g.
  // "gamma: expected a number in (0, 1], got 1.5".
  void validate() const;
  // The plateau fields (with min_lr) as ReduceOnPlateau takes them.
  PlateauConfig plateau() const;
};

// Every field of ScheduleConfig (and of PlateauConfig) declared once: name,
// range, help (option_table.hpp). It gives the command line its schedule
// flags and config.json its schedule keys; option_infos(table, ScheduleConfig{})
// lists them with their defaults.
const OptionTable& schedule_option_table();
// A ScheduleConfig from settings named as in the table, each over its
// default; ConfigError naming an unknown setting or a value of the wrong type
// or out of its range. The checks across fields are validate()'s.
ScheduleConfig schedule_config(const OptionValues& values);

// lr(t) of a pure schedule (every kind but plateau, which throws ConfigError),
// warm-up included. Validates the config.
double schedule_lr(const ScheduleConfig& config, double base_lr, std::size_t t);

// The schedule a trainer holds, for every kind: a pure function of t, or the
// plateau state fed by observe().
class Schedule {
 public:
  // Validates the config and base_lr (finite, > 0).
  explicit Schedule(ScheduleConfig config, double base_lr);

  // The learning rate of update t; for plateau, the current reduced rate
  // (ramped by the warm-up while t < warmup).
  double lr(std::size_t t) const;
  // One epoch's validation metric; only plateau uses it.
  void observe(double metric);

  // The state observe() changes (none for the pure kinds), after the kind's
  // name; load() refuses the state of another kind.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

  // One line for logs, e.g. "step: 0.1 * 0.5^floor(t / 30)".
  std::string describe() const;

  const ScheduleConfig& config() const { return config_; }
  double base_lr() const { return base_lr_; }

 private:
  ScheduleConfig config_;
  double base_lr_;
  std::optional<ReduceOnPlateau> plateau_;
};

}  // namespace descent

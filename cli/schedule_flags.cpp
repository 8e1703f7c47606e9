#include "schedule_flags.hpp"

namespace descent::cli {

void add_schedule_flags(CLI::App& app, ScheduleArgs& args) {
  ScheduleConfig& c = args.config;
  std::string names;
  for (const auto& name : schedule_names()) names += (names.empty() ? "" : ", ") + name;
  app.add_option("--schedule", args.kind, "Learning-rate schedule: " + names)
      ->capture_default_str();
  app.add_option("--warmup", c.warmup, "Updates of linear warm-up before the schedule")
      ->capture_default_str();
  app.add_option("--step-size", c.step_size, "step: updates between decays")->capture_default_str();
  app.add_option_function<double>(
         "--gamma", [&c](const double& g) { c.gamma = g; },
         "step, multistep: factor per decay; exponential: factor per update")
      ->default_str("0.1 for step and multistep");
  app.add_option("--decay", c.decay, "inverse-time: lr / (1 + decay t)")->capture_default_str();
  app.add_option("--milestones", c.milestones, "multistep: updates at which lr *= gamma")
      ->delimiter(',');
  app.add_option("--period", c.period, "cosine: T_max, or the first cycle with --restarts")
      ->capture_default_str();
  app.add_flag("--restarts", c.restarts, "cosine: warm restarts (SGDR)");
  app.add_option("--period-mult", c.period_mult, "cosine with restarts: cycle growth T_mult")
      ->capture_default_str();
  app.add_option("--min-lr", c.min_lr, "cosine: eta_min; plateau: the floor")
      ->capture_default_str();
  app.add_option_function<double>(
         "--max-lr", [&c](const double& m) { c.max_lr = m; }, "one-cycle: the peak")
      ->default_str("--lr");
  app.add_option("--total-steps", c.total_steps, "one-cycle: length of the cycle in updates")
      ->capture_default_str();
  app.add_option("--pct-start", c.pct_start, "one-cycle: share of the cycle spent rising")
      ->capture_default_str();
  app.add_option("--div-factor", c.div_factor, "one-cycle: start = peak / div-factor")
      ->capture_default_str();
  app.add_option("--final-div-factor", c.final_div_factor,
                 "one-cycle: end = start / final-div-factor")
      ->capture_default_str();
  app.add_option("--mode", args.mode, "plateau: min (a loss) or max (an accuracy)")
      ->capture_default_str();
  app.add_option("--factor", c.factor, "plateau: lr *= factor on a plateau")->capture_default_str();
  app.add_option("--patience", c.patience, "plateau: evaluations without improvement tolerated")
      ->capture_default_str();
  app.add_option("--threshold", c.threshold, "plateau: relative improvement that counts")
      ->capture_default_str();
  app.add_option("--cooldown", c.cooldown, "plateau: evaluations ignored after a reduction")
      ->capture_default_str();
}

ScheduleConfig resolve(const ScheduleArgs& args) {
  ScheduleConfig config = args.config;
  config.kind = parse_schedule_kind(args.kind);
  config.mode = parse_plateau_mode(args.mode);
  config.validate();
  return config;
}

}  // namespace descent::cli

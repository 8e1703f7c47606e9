#include "descent/optim/plateau.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/core/error.hpp"
#include "descent/optim/check.hpp"
#include "descent/optim/schedule.hpp"

namespace descent {

namespace {
// torch's ReduceLROnPlateau(eps=1e-8): a reduction of this much or less is skipped.
constexpr double kMinReduction = 1e-8;
}  // namespace

PlateauMode parse_plateau_mode(const std::string& name) {
  if (name == "min") return PlateauMode::min;
  if (name == "max") return PlateauMode::max;
  throw ConfigError("mode: unknown '" + name + "', expected one of: min, max");
}

std::string to_string(PlateauMode mode) { return mode == PlateauMode::min ? "min" : "max"; }

// The plateau schedule's ranges (schedule_option_table() declares them).
void PlateauConfig::validate() const { check_options(schedule_option_table(), *this); }

ReduceOnPlateau::ReduceOnPlateau(PlateauConfig config, double base_lr)
    : config_(config), lr_(base_lr) {
  config_.validate();
  check_positive("lr", base_lr);
  best_ = config_.mode == PlateauMode::min ? std::numeric_limits<double>::infinity()
                                           : -std::numeric_limits<double>::infinity();
}

bool ReduceOnPlateau::improves(double metric) const {
  if (config_.mode == PlateauMode::min) return metric < best_ * (1.0 - config_.threshold);
  return metric > best_ * (config_.threshold + 1.0);
}

void ReduceOnPlateau::observe(double metric) {
  ++epochs_;
  if (improves(metric)) {
    best_ = metric;
    bad_epochs_ = 0;
  } else {
    ++bad_epochs_;
  }
  if (cooldown_left_ > 0) {
    // Bad epochs during the cooldown do not count.
    --cooldown_left_;
    bad_epochs_ = 0;
  }
  if (bad_epochs_ > config_.patience) {
    const double reduced = std::max(lr_ * config_.factor, config_.min_lr);
    if (lr_ - reduced > kMinReduction) lr_ = reduced;
    cooldown_left_ = config_.cooldown;
    bad_epochs_ = 0;
  }
}

void ReduceOnPlateau::save(ByteWriter& out) const {
  out.put<double>(lr_);
  out.put<double>(best_);
  out.put<std::uint64_t>(bad_epochs_);
  out.put<std::uint64_t>(cooldown_left_);
  out.put<std::uint64_t>(epochs_);
}

void ReduceOnPlateau::load(ByteReader& in) {
  const auto lr = in.get<double>("plateau lr");
  if (!(lr > 0) || !std::isfinite(lr)) in.fail("plateau lr", "expected a finite number > 0");
  const auto best = in.get<double>("plateau best");
  const auto bad = in.get<std::uint64_t>("plateau bad epochs");
  const auto cooldown = in.get<std::uint64_t>("plateau cooldown");
  const auto epochs = in.get<std::uint64_t>("plateau epochs");
  lr_ = lr;
  best_ = best;
  bad_epochs_ = bad;
  cooldown_left_ = cooldown;
  epochs_ = epochs;
}

}  // namespace descent

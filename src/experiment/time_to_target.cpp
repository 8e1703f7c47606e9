#include "descent/experiment/time_to_target.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

Target parse_target(std::string_view text) {
  const std::string where = "target '" + std::string(text) + "'";
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    throw ConfigError(where + ": expected METRIC=VALUE, e.g. val_acc=0.88");
  }
  Target target;
  try {
    target.metric = parse_epoch_metric(text.substr(0, equals));
  } catch (const ConfigError& error) {
    throw ConfigError(where + ": " + error.what());
  }
  const std::string_view value = text.substr(equals + 1);
  const auto [end, error] =
      std::from_chars(value.data(), value.data() + value.size(), target.value);
  if (error != std::errc() || end != value.data() + value.size()) {
    throw ConfigError(where + ": value '" + std::string(value) + "' is not a number");
  }
  if (higher_is_better(target.metric) && !(target.value >= 0 && target.value <= 1)) {
    throw ConfigError(where + ": an accuracy target must lie in [0, 1]");
  }
  if (!higher_is_better(target.metric) && !(target.value >= 0 && std::isfinite(target.value))) {
    throw ConfigError(where + ": a loss target must be finite and >= 0");
  }
  return target;
}

std::string to_string(const Target& target) {
  return std::string(to_string(target.metric)) + '=' + shortest(target.value);
}

bool reaches(const Target& target, double value) {
  return higher_is_better(target.metric) ? value >= target.value : value <= target.value;
}

TimeToTarget time_to_target(std::span<const EpochRecord> epochs, std::span<const double> passes,
                            const Target& target) {
  TimeToTarget time;
  for (const EpochRecord& epoch : epochs) {
    if (!reaches(target, value_of(epoch, target.metric))) continue;
    time.steps = static_cast<double>(epoch.iteration);
    const bool recorded = epoch.iteration >= 1 && epoch.iteration <= passes.size();
    time.passes = recorded ? passes[epoch.iteration - 1] : std::numeric_limits<double>::quiet_NaN();
    time.seconds = std::isnan(epoch.train_seconds) ? epoch.seconds : epoch.train_seconds;
    break;
  }
  return time;
}

TimeToTarget time_to_target(const History& history, const Target& target) {
  return time_to_target(history.epochs, history.passes, target);
}

namespace {

bool known(double value) { return std::isfinite(value); }

}  // namespace

nlohmann::json to_json(const TimeToTarget& time) {
  return {{"steps_to_target",
           known(time.steps) ? nlohmann::json(static_cast<std::uint64_t>(time.steps)) : nullptr},
          {"passes_to_target", known(time.passes) ? nlohmann::json(time.passes) : nullptr},
          {"seconds_to_target", known(time.seconds) ? nlohmann::json(time.seconds) : nullptr}};
}

std::string csv_cells(const TimeToTarget& time) {
  const auto cell = [](double value) { return known(value) ? shortest(value) : std::string(); };
  return cell(time.steps) + ',' + cell(time.passes) + ',' + cell(time.seconds);
}

}  // namespace descent

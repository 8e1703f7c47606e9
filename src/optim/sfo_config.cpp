// SfoConfig: names of the selection rules and Hessian updates, checks of the
// hyperparameters, and the memory bound (sfo.hpp).
#include <cmath>
#include <cstdio>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/check.hpp"
#include "descent/optim/sfo.hpp"

#include <algorithm>

namespace descent {

namespace {

struct SelectionName {
  SfoSelection selection;
  const char* name;
};
constexpr SelectionName kSelectionNames[] = {
    {SfoSelection::distance_both, "distance-both"},
    {SfoSelection::distance, "distance"},
    {SfoSelection::single_distance, "single-distance"},
    {SfoSelection::random, "random"},
    {SfoSelection::cyclic, "cyclic"},
};

// "7.1 MB" (bytes under 100 kB as "1000 bytes").
std::string megabytes(std::size_t bytes) {
  if (bytes < 100000) return std::to_string(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

}  // namespace

SfoSelection sfo_selection(const std::string& name) {
  std::string known;
  for (const auto& entry : kSelectionNames) {
    if (name == entry.name) return entry.selection;
    known += known.empty() ? entry.name : std::string(", ") + entry.name;
  }
  throw ConfigError("selection: expected one of " + known + ", got '" + name + "'");
}

std::string to_string(SfoSelection selection) {
  for (const auto& entry : kSelectionNames) {
    if (entry.selection == selection) return entry.name;
  }
  return "unknown";
}

SfoHessianUpdate sfo_hessian_update(const std::string& name) {
  if (name == "bfgs") return SfoHessianUpdate::bfgs;
  if (name == "rank1") return SfoHessianUpdate::rank1;
  throw ConfigError("hessian-update: expected bfgs or rank1, got '" + name + "'");
}

std::string to_string(SfoHessianUpdate update) {
  return update == SfoHessianUpdate::bfgs ? "bfgs" : "rank1";
}

void SfoConfig::validate() const {
  if (history < 1 || history > kSfoMaxHistory) {
    throw ConfigError("history: expected 1 <= L <= " + std::to_string(kSfoMaxHistory) + ", got " +
                      std::to_string(history));
  }
  check_positive("hessian-init", hessian_init);
  if (initial_active < 1) throw ConfigError("initial-active: expected at least 1, got 0");
  if (!(max_hessian_deviation > 1) || !std::isfinite(max_hessian_deviation)) {
    throw ConfigError("max-hessian-deviation: expected a finite number > 1, got " +
                      shortest(max_hessian_deviation));
  }
  check_positive("max-gradient-noise", max_gradient_noise);
  check_positive("max-step-ratio", max_step_length_ratio);
  check_non_negative("min-step", minimum_step_length);
  if (max_memory_bytes == 0) throw ConfigError("max-memory: expected a number of bytes > 0, got 0");
}

void SfoConfig::validate_for(std::size_t dim, std::size_t subfunctions) const {
  validate();
  const std::size_t bytes = Sfo::memory_bytes(dim, subfunctions, *this);
  if (bytes > max_memory_bytes) {
    throw ConfigError("max-memory: SFO with M = " + std::to_string(dim) +
                      " parameters, N = " + std::to_string(subfunctions) +
                      " subfunctions and history L = " + std::to_string(history) + " needs " +
                      megabytes(bytes) + ", above " + megabytes(max_memory_bytes) +
                      "; use fewer subfunctions or a shorter history, or raise max-memory");
  }
}

std::size_t SfoPartition::count_for(std::size_t samples) const {
  if (subfunctions > samples) {
    throw ConfigError("subfunctions: expected at most the " + std::to_string(samples) +
                      " training samples, got " + std::to_string(subfunctions));
  }
  if (subfunctions > 0) return subfunctions;
  const auto guided = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(samples)) / 10));
  return std::min(samples, std::max<std::size_t>(25, guided));
}

SfoConfig SfoConfig::reference_deterministic(std::size_t subfunctions) {
  SfoConfig config;
  config.initial_active = subfunctions;
  config.selection = SfoSelection::distance;
  config.deterministic = true;
  return config;
}

}  // namespace descent

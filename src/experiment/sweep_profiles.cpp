#include "descent/experiment/sweep_profiles.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "descent/experiment/findings.hpp"

namespace descent {

namespace {

// Optimizer -> passes to target on one sweep, tuned over its learning rates
// and schedules.
std::map<std::string, double> tuned_times(const SweepFolder& sweep, std::vector<std::string>& order,
                                          std::string& target) {
  std::map<std::string, double> times;
  for (const FolderRun& run : sweep.runs) {
    if (!has_ended(run.status)) continue;
    if (target.empty()) target = run.target;
    if (std::find(order.begin(), order.end(), run.optimizer) == order.end()) {
      order.push_back(run.optimizer);
    }
  }
  const auto faster = [&](const std::string& optimizer, double time) {
    const auto [it, added] = times.try_emplace(optimizer, time);
    if (!added) it->second = std::min(it->second, time);
  };
  const ProtocolFindings protocol = protocol_findings(sweep);
  if (protocol.studies > 0) {
    // Methods are "adam" or "adam / step": the optimizer's fastest schedule.
    for (const ProtocolFinding& method : protocol.methods) {
      faster(method.method.substr(0, method.method.find(" / ")), method.passes);
    }
    return times;
  }
  // (optimizer, schedule, lr) -> passes of each seed (+inf where a seed did not reach).
  std::map<std::tuple<std::string, std::string, double>, std::vector<double>> seeds;
  for (const FolderRun& run : sweep.runs) {
    if (has_ended(run.status))
      seeds[{run.optimizer, run.schedule, run.lr}].push_back(passes_to_target(run));
  }
  for (const auto& [configuration, passes] : seeds) {
    double sum = 0;
    for (double p : passes) sum += p;  // +inf if any seed did not reach
    faster(std::get<0>(configuration), sum / static_cast<double>(passes.size()));
  }
  return times;
}

}  // namespace

SweepProfiles sweep_profiles(std::span<const SweepFolder> sweeps) {
  SweepProfiles profiles;
  std::vector<std::map<std::string, double>> per_problem;
  for (const SweepFolder& sweep : sweeps) {
    std::string target;
    per_problem.push_back(tuned_times(sweep, profiles.methods, target));
    profiles.problems.push_back(sweep.name);
    profiles.targets.push_back(target);
  }
  // Sweeps of one name (the same grid on several problems, say) are told
  // apart by their folders' names.
  const std::set<std::string> names(profiles.problems.begin(), profiles.problems.end());
  if (names.size() < profiles.problems.size()) {
    for (std::size_t p = 0; p < sweeps.size(); ++p) {
      std::filesystem::path dir = sweeps[p].dir;
      if (dir.filename().empty()) dir = dir.parent_path();
      if (!dir.filename().empty()) profiles.problems[p] = dir.filename().string();
    }
  }
  if (profiles.methods.empty()) return profiles;
  for (const std::string& method : profiles.methods) {
    std::vector<double>& row = profiles.times.emplace_back();
    for (const auto& times : per_problem) {
      const auto it = times.find(method);
      // A time of 0 (a target the first epoch already met) is one step.
      row.push_back(it == times.end() ? TimeToTarget::kNever : std::max(it->second, 1e-12));
    }
  }
  profiles.ratios = performance_ratios(profiles.times);
  for (const std::vector<double>& ratios : profiles.ratios) {
    profiles.profiles.push_back(profile_steps(ratios));
    profiles.scores.push_back(profile_score(ratios));
  }
  return profiles;
}

}  // namespace descent

#include "descent/experiment/findings.hpp"

#include <algorithm>
#include <set>

#include "descent/experiment/tuned_rate.hpp"

namespace descent {

namespace {

// "adam", or "adam / step" when the sweep's runs use several schedules.
std::string method_of(const FolderRun& run, bool several_schedules) {
  return several_schedules ? run.optimizer + " / " + run.schedule : run.optimizer;
}

bool ended(const FolderRun& run) {
  return run.status == RunStatus::Finished || run.status == RunStatus::Diverged;
}

}  // namespace

SweepFindings sweep_findings(const SweepFolder& folder) {
  SweepFindings findings;
  std::set<std::string> schedules;
  for (const FolderRun& run : folder.runs) {
    if (!ended(run)) continue;
    schedules.insert(run.schedule);
    if (findings.target.empty()) findings.target = run.target;
  }
  const bool several_schedules = schedules.size() > 1;
  std::vector<SeedRun> accuracies;
  for (const FolderRun& run : folder.runs) {
    if (!ended(run)) continue;
    const double accuracy = run.status == RunStatus::Finished ? run.val_acc : 0.0;
    accuracies.push_back({method_of(run, several_schedules), run.lr, accuracy});
  }
  for (const RateSpread& best : best_rates(accuracies, true)) {
    MethodFinding finding;
    finding.method = best.optimizer;
    finding.lr = best.lr;
    finding.val_acc = best.spread;
    std::vector<double> steps, passes, seconds;
    for (const FolderRun& run : folder.runs) {
      if (!ended(run) || run.lr != best.lr || method_of(run, several_schedules) != best.optimizer) {
        continue;
      }
      ++finding.seeds;
      if (!run.to_target.reached()) continue;
      ++finding.reached;
      steps.push_back(run.to_target.steps);
      passes.push_back(run.to_target.passes);
      seconds.push_back(run.to_target.seconds);
    }
    finding.steps_to_target = spread_of(steps);
    finding.passes_to_target = spread_of(passes);
    finding.seconds_to_target = spread_of(seconds);
    findings.methods.push_back(finding);
  }
  std::stable_sort(findings.methods.begin(), findings.methods.end(),
                   [](const MethodFinding& a, const MethodFinding& b) {
                     return a.val_acc.mean > b.val_acc.mean;
                   });
  if (findings.methods.empty()) return findings;
  const MethodFinding& winner = findings.methods.front();
  double fastest_passes = TimeToTarget::kNever;
  for (const MethodFinding& method : findings.methods) {
    if (&method != &winner && within_spread(method.val_acc, winner.val_acc)) {
      findings.ties.push_back(method.method);
    }
    if (method.seeds > 0 && method.reached == method.seeds &&
        method.passes_to_target.mean < fastest_passes) {
      fastest_passes = method.passes_to_target.mean;
      findings.fastest = method.method;
    }
  }
  return findings;
}

}  // namespace descent

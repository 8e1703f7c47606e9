#include "descent/experiment/findings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "descent/experiment/tuned_rate.hpp"
#include "descent/experiment/tuning_protocol.hpp"

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
  findings.by_loss = !folder.classes;
  // A diverged run scores accuracy 0, or an infinite loss.
  std::vector<SeedRun> results;
  for (const FolderRun& run : folder.runs) {
    if (!ended(run)) continue;
    const bool finished = run.status == RunStatus::Finished;
    const double value = findings.by_loss ? (finished ? run.val_loss : TimeToTarget::kNever)
                                          : (finished ? run.val_acc : 0.0);
    results.push_back({method_of(run, several_schedules), run.lr, value});
  }
  for (const RateSpread& best : best_rates(results, !findings.by_loss)) {
    MethodFinding finding;
    finding.method = best.optimizer;
    finding.lr = best.lr;
    std::vector<double> accuracies, losses;
    std::vector<double> steps, passes, seconds;
    for (const FolderRun& run : folder.runs) {
      if (!ended(run) || run.lr != best.lr || method_of(run, several_schedules) != best.optimizer) {
        continue;
      }
      ++finding.seeds;
      accuracies.push_back(run.status == RunStatus::Finished ? run.val_acc : 0.0);
      losses.push_back(run.status == RunStatus::Finished ? run.val_loss : TimeToTarget::kNever);
      if (!run.to_target.reached()) continue;
      ++finding.reached;
      steps.push_back(run.to_target.steps);
      passes.push_back(run.to_target.passes);
      seconds.push_back(run.to_target.seconds);
    }
    finding.val_acc = spread_of(accuracies);
    finding.val_loss = spread_of(losses);
    finding.steps_to_target = spread_of(steps);
    finding.passes_to_target = spread_of(passes);
    finding.seconds_to_target = spread_of(seconds);
    findings.methods.push_back(finding);
  }
  const bool by_loss = findings.by_loss;
  std::stable_sort(findings.methods.begin(), findings.methods.end(),
                   [by_loss](const MethodFinding& a, const MethodFinding& b) {
                     return by_loss ? a.val_loss.mean < b.val_loss.mean
                                    : a.val_acc.mean > b.val_acc.mean;
                   });
  if (findings.methods.empty()) return findings;
  const MethodFinding& winner = findings.methods.front();
  double fastest_passes = TimeToTarget::kNever;
  for (const MethodFinding& method : findings.methods) {
    const bool tied = by_loss ? within_spread(method.val_loss, winner.val_loss)
                              : within_spread(method.val_acc, winner.val_acc);
    if (&method != &winner && tied) {
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

double passes_to_target(const FolderRun& run) {
  const TimeToTarget& t = run.to_target;
  if (run.status != RunStatus::Finished || !t.reached()) return TimeToTarget::kNever;
  return std::isnan(t.passes) ? t.steps : t.passes;
}

ProtocolFindings protocol_findings(const SweepFolder& folder) {
  ProtocolFindings findings;
  std::vector<const FolderGroup*> studies;
  for (const FolderGroup& group : folder.groups) {
    if (group.study > 0) studies.push_back(&group);
  }
  if (studies.empty()) return findings;
  findings.studies = studies.size();
  std::set<std::string> schedules;
  for (const FolderRun& run : folder.runs) schedules.insert(run.schedule);
  const bool several_schedules = schedules.size() > 1;

  // method -> study -> its ended trials.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::vector<const FolderRun*>>> trials;
  for (std::size_t j = 0; j < studies.size(); ++j) {
    for (const std::string& name : studies[j]->runs) {
      const FolderRun& run = folder.run(name);
      if (!ended(run)) continue;
      if (findings.target.empty()) findings.target = run.target;
      const std::string method = method_of(run, several_schedules);
      auto& of_method = trials[method];
      if (of_method.empty()) {
        order.push_back(method);
        of_method.resize(studies.size());
      }
      of_method[j].push_back(&run);
    }
  }
  constexpr double never = TimeToTarget::kNever;
  for (const std::string& method : order) {
    std::vector<std::vector<double>> passes, seconds;
    ProtocolFinding finding;
    finding.method = method;
    for (const auto& study : trials[method]) {
      if (study.empty()) continue;  // no trial of this study has ended yet
      finding.trials = std::max(finding.trials, study.size());
      auto& p = passes.emplace_back();
      auto& s = seconds.emplace_back();
      for (const FolderRun* run : study) {
        const double pass = passes_to_target(*run);
        const double second = std::isinf(pass) ? never : run->to_target.seconds;
        p.push_back(pass > 0 ? pass : never);
        s.push_back(second > 0 ? second : never);
      }
    }
    if (passes.empty()) continue;
    std::size_t j = 0;
    const TuningResult by_passes = tuning_result(passes);
    for (const auto& study : trials[method]) {
      if (study.empty()) continue;
      const StudyBest& best = by_passes.studies[j++];
      finding.best_passes.push_back(best.time);
      finding.best_lr.push_back(best.time == never ? std::numeric_limits<double>::quiet_NaN()
                                                   : study[best.trial]->lr);
    }
    finding.passes = by_passes.time;
    finding.seconds = tuning_result(seconds).time;
    findings.methods.push_back(std::move(finding));
  }
  std::stable_sort(
      findings.methods.begin(), findings.methods.end(),
      [](const ProtocolFinding& a, const ProtocolFinding& b) { return a.passes < b.passes; });
  return findings;
}

}  // namespace descent

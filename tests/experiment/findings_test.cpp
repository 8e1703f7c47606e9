// The report's findings from a sweep folder written by hand: the tuned rate
// chosen by the mean over seeds, the winner and its ties by the spread rule,
// and the fastest method to the target with every seed.
#include "descent/experiment/findings.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace descent {
namespace {

FolderRun run(const std::string& optimizer, double lr, double val_acc, double passes_to_target) {
  FolderRun r;
  r.name = optimizer + std::to_string(lr) + std::to_string(val_acc);
  r.optimizer = optimizer;
  r.lr = lr;
  r.schedule = "constant";
  r.status = RunStatus::Finished;
  r.val_acc = val_acc;
  r.target = "val_acc=0.85";
  if (!std::isinf(passes_to_target)) {
    r.to_target.steps = 10 * passes_to_target;
    r.to_target.passes = passes_to_target;
    r.to_target.seconds = passes_to_target / 2;
  }
  return r;
}

constexpr double kNever = TimeToTarget::kNever;

SweepFolder folder() {
  SweepFolder f;
  f.runs = {// adam: 1e-3 has mean 0.89; 1e-2 has the best seed (0.95) but mean 0.875.
            run("adam", 1e-3, 0.88, 2), run("adam", 1e-3, 0.90, 4), run("adam", 1e-2, 0.80, kNever),
            run("adam", 1e-2, 0.95, 1),
            // momentum: mean 0.88, sd 0.00707, within adam's band (sd 0.01414).
            run("momentum", 0.01, 0.885, 3), run("momentum", 0.01, 0.875, kNever),
            // sgd: mean 0.86, 0.03 below adam, more than the two sds (0.0283).
            run("sgd", 0.1, 0.85, 5), run("sgd", 0.1, 0.87, 6)};
  FolderRun pending = run("sgd", 0.1, 0.99, 1);
  pending.status = RunStatus::Pending;
  f.runs.push_back(pending);
  return f;
}

TEST(FindingsTest, TunedRateIsTheBestMeanOverSeedsAndTheWinnerLeads) {
  const SweepFindings findings = sweep_findings(folder());
  EXPECT_EQ(findings.target, "val_acc=0.85");
  ASSERT_EQ(findings.methods.size(), 3u);
  EXPECT_EQ(findings.methods[0].method, "adam");
  EXPECT_EQ(findings.methods[0].lr, 1e-3);
  EXPECT_NEAR(findings.methods[0].val_acc.mean, 0.89, 1e-12);
  EXPECT_NEAR(findings.methods[0].val_acc.sd, std::sqrt(2 * 0.01 * 0.01) / std::sqrt(1.0), 1e-12);
  EXPECT_EQ(findings.methods[1].method, "momentum");
  EXPECT_EQ(findings.methods[2].method, "sgd");
  // The pending run (0.99) is left out.
  EXPECT_EQ(findings.methods[2].seeds, 2u);
  EXPECT_NEAR(findings.methods[2].val_acc.mean, 0.86, 1e-12);
}

TEST(FindingsTest, TiesAreTheMethodsWithinTheWinnersSpread) {
  const SweepFindings findings = sweep_findings(folder());
  EXPECT_EQ(findings.ties, std::vector<std::string>{"momentum"});
}

TEST(FindingsTest, TimeToTargetOverTheSeedsThatReachAndTheFastestWithEverySeed) {
  const SweepFindings findings = sweep_findings(folder());
  const MethodFinding& adam = findings.methods[0];
  EXPECT_EQ(adam.reached, 2u);
  EXPECT_DOUBLE_EQ(adam.passes_to_target.mean, 3.0);
  EXPECT_DOUBLE_EQ(adam.steps_to_target.mean, 30.0);
  const MethodFinding& momentum = findings.methods[1];
  EXPECT_EQ(momentum.reached, 1u);
  EXPECT_EQ(momentum.seeds, 2u);
  // momentum (3 passes, one seed) never reached with both; sgd takes 5.5; adam 3.
  EXPECT_EQ(findings.fastest, "adam");
}

TEST(FindingsTest, SeveralSchedulesMakeSeveralMethodsAndADivergedSeedCountsAsZero) {
  SweepFolder f;
  f.runs = {run("sgd", 0.1, 0.8, 2), run("sgd", 0.1, 0.82, 2)};
  FolderRun step = run("sgd", 0.1, 0.9, 1);
  step.schedule = "step";
  FolderRun diverged = run("sgd", 0.1, 0.95, kNever);
  diverged.schedule = "step";
  diverged.status = RunStatus::Diverged;
  f.runs.push_back(step);
  f.runs.push_back(diverged);
  const SweepFindings findings = sweep_findings(f);
  ASSERT_EQ(findings.methods.size(), 2u);
  EXPECT_EQ(findings.methods[0].method, "sgd / constant");
  EXPECT_NEAR(findings.methods[1].val_acc.mean, 0.45, 1e-12);
  EXPECT_EQ(findings.fastest, "sgd / constant");
}

// Three studies of two trials each for adam and sgd, passes to target by hand:
//   adam: study 1 {4, 2} -> 2 (lr 2e-3); study 2 {inf, 6} -> 6; study 3 {3, inf} -> 3
//         median of {2, 6, 3} = 3
//   sgd:  study 1 {inf, inf} -> inf; study 2 {5, 7} -> 5; study 3 {8, diverged} -> 8
//         median of {inf, 5, 8} = 8
SweepFolder studies_folder() {
  SweepFolder f;
  const std::vector<std::vector<double>> adam = {{4, 2}, {kNever, 6}, {3, kNever}};
  const std::vector<std::vector<double>> sgd = {{kNever, kNever}, {5, 7}, {8, 1}};
  for (std::size_t j = 0; j < 3; ++j) {
    FolderGroup group;
    group.name = "study-" + std::to_string(j + 1);
    group.kind = GroupKind::lr_sweep;
    group.study = j + 1;
    for (std::size_t i = 0; i < 2; ++i) {
      FolderRun a = run("adam", 1e-3 * static_cast<double>(i + 1) + 1e-4 * static_cast<double>(j),
                        0.9, adam[j][i]);
      FolderRun s = run("sgd", 0.1 * static_cast<double>(i + 1) + 0.01 * static_cast<double>(j),
                        0.9, sgd[j][i]);
      if (j == 2 && i == 1) s.status = RunStatus::Diverged;  // its 1 pass does not count
      group.runs.push_back(a.name);
      group.runs.push_back(s.name);
      f.runs.push_back(a);
      f.runs.push_back(s);
    }
    f.groups.push_back(group);
  }
  // A group outside the protocol does not take part.
  FolderGroup other;
  other.name = "tuned";
  FolderRun fast = run("sgd", 0.5, 0.9, 0.5);
  other.runs = {fast.name};
  f.runs.push_back(fast);
  f.groups.push_back(other);
  return f;
}

TEST(ProtocolFindingsTest, MedianOverStudiesOfTheFastestTrial) {
  const ProtocolFindings findings = protocol_findings(studies_folder());
  EXPECT_EQ(findings.studies, 3u);
  EXPECT_EQ(findings.target, "val_acc=0.85");
  ASSERT_EQ(findings.methods.size(), 2u);
  const ProtocolFinding& adam = findings.methods[0];
  EXPECT_EQ(adam.method, "adam");
  EXPECT_EQ(adam.passes, 3);
  EXPECT_EQ(adam.seconds, 1.5);  // seconds are passes / 2 here
  EXPECT_EQ(adam.trials, 2u);
  EXPECT_EQ(adam.best_passes, (std::vector<double>{2, 6, 3}));
  EXPECT_NEAR(adam.best_lr[0], 2e-3, 1e-15);
  EXPECT_NEAR(adam.best_lr[1], 2.1e-3, 1e-15);
  EXPECT_NEAR(adam.best_lr[2], 1.2e-3, 1e-15);
  const ProtocolFinding& sgd = findings.methods[1];
  EXPECT_EQ(sgd.method, "sgd");
  EXPECT_EQ(sgd.passes, 8);
  EXPECT_EQ(sgd.best_passes[0], kNever);
  EXPECT_TRUE(std::isnan(sgd.best_lr[0]));
}

TEST(ProtocolFindingsTest, NoStudiesNoProtocol) {
  EXPECT_EQ(protocol_findings(folder()).studies, 0u);
  EXPECT_TRUE(protocol_findings(folder()).methods.empty());
}

}  // namespace
}  // namespace descent

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

}  // namespace
}  // namespace descent

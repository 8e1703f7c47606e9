// Performance profiles over sweep folders written by hand: each method's
// tuned passes to target per problem, the ratios and AlgoPerf's scores.
#include "descent/experiment/sweep_profiles.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace descent {
namespace {

constexpr double kNever = TimeToTarget::kNever;

FolderRun run(const std::string& optimizer, double lr, std::uint64_t seed, double passes) {
  FolderRun r;
  r.name = optimizer + "-" + std::to_string(lr) + "-s" + std::to_string(seed);
  r.optimizer = optimizer;
  r.lr = lr;
  r.seed = seed;
  r.schedule = "constant";
  r.status = RunStatus::Finished;
  r.target = "val_acc=0.8";
  if (!std::isinf(passes)) {
    r.to_target.steps = 100 * passes;
    r.to_target.passes = passes;
    r.to_target.seconds = passes;
  }
  return r;
}

// Problem 1: adam at 0.001 takes 2 and 4 passes (mean 3); at 0.01 one seed
// never reaches, so that rate counts as inf; sgd takes 6. Problem 2: adam
// never reaches, sgd takes 5, momentum (only here) 2.5.
std::vector<SweepFolder> two_problems() {
  SweepFolder first;
  first.name = "fmnist-mlp";
  first.runs = {run("adam", 1e-3, 0, 2),      run("adam", 1e-3, 1, 4), run("adam", 1e-2, 0, 1),
                run("adam", 1e-2, 1, kNever), run("sgd", 0.1, 0, 6),   run("sgd", 0.1, 1, 6)};
  FolderRun pending = run("sgd", 0.2, 0, 0.5);
  pending.status = RunStatus::Pending;
  first.runs.push_back(pending);
  SweepFolder second;
  second.name = "fmnist-logreg";
  second.runs = {run("adam", 1e-3, 0, kNever), run("sgd", 0.1, 0, 5),
                 run("momentum", 0.01, 0, 2.5)};
  FolderRun diverged = run("momentum", 0.1, 0, 1);
  diverged.status = RunStatus::Diverged;  // its 1 pass does not count
  second.runs.push_back(diverged);
  return {first, second};
}

TEST(SweepProfilesTest, TunedTimesRatiosAndScores) {
  const std::vector<SweepFolder> sweeps = two_problems();
  const SweepProfiles p = sweep_profiles(sweeps);
  EXPECT_EQ(p.problems, (std::vector<std::string>{"fmnist-mlp", "fmnist-logreg"}));
  EXPECT_EQ(p.targets, (std::vector<std::string>{"val_acc=0.8", "val_acc=0.8"}));
  ASSERT_EQ(p.methods, (std::vector<std::string>{"adam", "sgd", "momentum"}));
  EXPECT_EQ(p.times[0], (std::vector<double>{3, kNever}));
  EXPECT_EQ(p.times[1], (std::vector<double>{6, 5}));
  EXPECT_EQ(p.times[2], (std::vector<double>{kNever, 2.5}));
  EXPECT_EQ(p.ratios[0], (std::vector<double>{1, kNever}));
  EXPECT_EQ(p.ratios[1], (std::vector<double>{2, 2}));
  EXPECT_EQ(p.ratios[2], (std::vector<double>{kNever, 1}));
  // B = 1/n sum_p max(0, 4 - r_p) / 3.
  EXPECT_NEAR(p.scores[0], 0.5, 1e-12);
  EXPECT_NEAR(p.scores[1], 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(p.scores[2], 0.5, 1e-12);
  // sgd's profile: 0 below tau = 2, then 1.
  ASSERT_FALSE(p.profiles[1].empty());
  EXPECT_EQ(p.profiles[1].front().tau, 1);
  EXPECT_EQ(p.profiles[1].front().rho, 0);
  EXPECT_EQ(p.profiles[1].back().rho, 1);
}

TEST(SweepProfilesTest, ATuningProtocolGivesTheMedianOfTheStudies) {
  SweepFolder sweep;
  sweep.name = "tuning";
  // Two studies of one trial: adam 2 and 4 (median 3), sgd 6 and inf (median inf).
  for (std::size_t j = 0; j < 2; ++j) {
    FolderGroup study;
    study.name = "study-" + std::to_string(j + 1);
    study.study = j + 1;
    FolderRun adam = run("adam", 1e-3 * static_cast<double>(j + 1), j, j == 0 ? 2 : 4);
    FolderRun sgd = run("sgd", 0.1 * static_cast<double>(j + 1), j, j == 0 ? 6 : kNever);
    study.runs = {adam.name, sgd.name};
    sweep.runs.push_back(adam);
    sweep.runs.push_back(sgd);
    sweep.groups.push_back(study);
  }
  const std::vector<SweepFolder> sweeps = {sweep};
  const SweepProfiles p = sweep_profiles(sweeps);
  ASSERT_EQ(p.methods.size(), 2u);
  EXPECT_EQ(p.times[0], (std::vector<double>{3}));
  EXPECT_EQ(p.times[1], (std::vector<double>{kNever}));
  EXPECT_NEAR(p.scores[0], 1.0, 1e-12);
  EXPECT_NEAR(p.scores[1], 0.0, 1e-12);
}

TEST(SweepProfilesTest, SweepsOfOneNameAreToldApartByTheirFolders) {
  std::vector<SweepFolder> sweeps = two_problems();
  sweeps[0].name = sweeps[1].name = "grid";
  sweeps[0].dir = "runs/problems/fmnist-mlp";
  sweeps[1].dir = "runs/problems/fmnist-logreg/";
  EXPECT_EQ(sweep_profiles(sweeps).problems,
            (std::vector<std::string>{"fmnist-mlp", "fmnist-logreg"}));
}

TEST(SweepProfilesTest, NoEndedRunNoMethods) {
  std::vector<SweepFolder> sweeps(1);
  sweeps[0].name = "empty";
  EXPECT_TRUE(sweep_profiles(sweeps).methods.empty());
}

}  // namespace
}  // namespace descent

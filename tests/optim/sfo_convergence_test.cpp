// SFO with its default configuration and descent's own random numbers,
// against the authors' runs (reference/sfo/ref_logreg*.json, 10 seeds each):
// the acceptance thresholds of the reference's criteria C, and SFO below
// descent's full-batch L-BFGS and best-of-grid Adam at 20 passes. (The
// autoencoder's runs take a minute: bench/optim/sfo_convergence.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "descent/optim/adam.hpp"
#include "descent/optim/logistic_sum.hpp"
#include "descent/optim/sfo.hpp"
#include "descent/optim/sum_of_functions_baselines.hpp"
#include "sfo_testing.hpp"

namespace descent {
namespace {

using namespace sfo_testing;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// One default run: F - F* at passes 10, 20, 50 (read as the reference reads
// them) and the passes at which F - F* first was 1e-6 or less, reading F every
// quarter pass until then.
struct SeedRun {
  std::map<double, double> gap;
  double passes_to_1e6 = std::numeric_limits<double>::infinity();
};

SeedRun run_default(LogisticSum& problem, double f_star, double passes, std::uint64_t seed) {
  Sfo sfo(problem.start(), problem.subfunctions(), SfoConfig{}, seed);
  SeedRun run;
  double next = 0.25;
  while (sfo.passes() < passes) {
    sfo.step(problem);
    if (sfo.passes() < next) continue;
    while (next <= sfo.passes()) next += 0.25;
    bool checkpoint = false;
    for (const double p : {10.0, 20.0, 50.0})
      checkpoint |= sfo.passes() >= p && !run.gap.contains(p);
    if (!checkpoint && std::isfinite(run.passes_to_1e6)) continue;
    const double gap = full_value(problem, sfo.x()) - f_star;
    if (gap <= 1e-6) run.passes_to_1e6 = std::min(run.passes_to_1e6, sfo.passes());
    for (const double p : {10.0, 20.0, 50.0}) {
      if (sfo.passes() >= p && !run.gap.contains(p)) run.gap[p] = gap;
    }
  }
  return run;
}

// Best F of descent's Adam over the reference's grid of learning rates after
// 20 passes, one random subfunction per step.
double adam_best(LogisticSum& problem, std::size_t passes) {
  double best = std::numeric_limits<double>::infinity();
  for (const double lr : {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1}) {
    Adam<double> adam;
    const std::vector<double> trace =
        stochastic_trace(problem, adam, problem.start(), lr, passes, 0);
    if (trace.size() == passes + 1 && std::isfinite(trace.back()))
      best = std::min(best, trace.back());
  }
  return best;
}

double lbfgs_best(LogisticSum& problem, std::size_t evaluations) {
  const std::vector<double> trace = lbfgs_full_batch_trace(problem, problem.start(), evaluations);
  return *std::min_element(trace.begin(), trace.end());
}

// logreg (reference: median gap 6.0e-5 at 10 passes, 1.5e-13 at 20, 12.5
// passes to 1e-6; L-BFGS 3.7e-3 and Adam 7.2e-3 at 20).
TEST(SfoConvergence, LogisticDefaultRunsOverTenSeeds) {
  const double f_star = reference("logreg")["meta"]["F_star"];
  LogisticSum problem;
  std::vector<double> at10, at20, reach;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const SeedRun run = run_default(problem, f_star, 20, seed);
    at10.push_back(run.gap.at(10));
    at20.push_back(run.gap.at(20));
    reach.push_back(run.passes_to_1e6);
  }
  EXPECT_LE(median(at10), 6e-4);
  EXPECT_LE(median(at20), 1e-9);
  EXPECT_LE(median(reach), 15);
  EXPECT_LT(median(at20) + f_star, lbfgs_best(problem, 20));
  EXPECT_LT(median(at20) + f_star, adam_best(problem, 20));
}

// logreg_d200 (reference: median 33 passes to 1e-6, median gap 5.2e-4 at 20,
// at most 7.9e-11 at 50; L-BFGS 0.0113 and Adam 0.0176 at 20).
TEST(SfoConvergence, LogisticD200DefaultRunsOverTenSeeds) {
  const double f_star = reference("logreg_d200")["meta"]["F_star"];
  LogisticSumConfig config;
  config.dim = 200;
  LogisticSum problem(config);
  std::vector<double> at20, reach;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const SeedRun run = run_default(problem, f_star, 50, seed);
    at20.push_back(run.gap.at(20));
    reach.push_back(run.passes_to_1e6);
    EXPECT_LE(run.gap.at(50), 1e-8) << "seed " << seed;
  }
  EXPECT_LE(median(reach), 40);
  EXPECT_LE(median(at20), 5e-3);
  EXPECT_LT(median(at20) + f_star, lbfgs_best(problem, 20));
  EXPECT_LT(median(at20) + f_star, adam_best(problem, 20));
}

}  // namespace
}  // namespace descent

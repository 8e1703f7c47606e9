#include "descent/optim/lbfgs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/optim/minimize.hpp"
#include "descent/optim/test_functions.hpp"

namespace descent {
namespace {

SearchResult run_lbfgs(const TestFunction& f, std::vector<double>& x,
                       LineSearchMinimizerConfig config = {}, LbfgsConfig lbfgs = {}) {
  LbfgsDirection<double> direction(lbfgs);
  return minimize_with_line_search(f, direction, x, config);
}

// One stored pair s = (1, 0), y = (2, 1): rho = 1/2, gamma = s.y / y.y = 2/5.
// At g = (1, 1), Algorithm 7.4 by hand:
//   alpha = rho s.q = 1/2;  q = g - alpha y = (0, 1/2);  r = gamma q = (0, 1/5)
//   beta = rho y.r = 1/10;  r = r + s (alpha - beta) = (2/5, 1/5);  d = -r
// which is -H g for the BFGS update of H0 = gamma I,
//   H = (I - rho s y^T) H0 (I - rho y s^T) + rho s s^T = [[0.6, -0.2], [-0.2, 0.4]].
TEST(LbfgsDirection, OnePairGivesTheHandComputedDirection) {
  LbfgsDirection<double> direction;
  direction.reset(2);
  const std::vector<double> s = {1, 0}, y = {2, 1}, g = {1, 1};
  direction.update({s, y, 1.0, -1.0});
  std::vector<double> d(2);
  direction.direction(g, d);
  EXPECT_NEAR(d[0], -0.4, 1e-15);
  EXPECT_NEAR(d[1], -0.2, 1e-15);
}

TEST(LbfgsDirection, SkipsPairsWithoutPositiveCurvature) {
  LbfgsDirection<double> direction;
  direction.reset(2);
  const std::vector<double> s = {1, 0}, y = {-2, 1}, g = {1, 1};
  direction.update({s, y, 1.0, -1.0});
  EXPECT_EQ(direction.stored(), 0u);
  std::vector<double> d(2);
  direction.direction(g, d);
  EXPECT_EQ(d, (std::vector<double>{-1, -1}));
}

TEST(LbfgsDirection, KeepsTheLastMPairs) {
  LbfgsDirection<double> direction({3});
  direction.reset(1);
  for (int k = 0; k < 5; ++k) {
    const std::vector<double> s = {1}, y = {1.0 + k};
    direction.update({s, y, 1.0, -1.0});
  }
  EXPECT_EQ(direction.stored(), 3u);
}

// The minimizer writes each pair into next_pair()'s buffers instead of
// passing its own: the directions must be the same to the last bit.
TEST(LbfgsDirection, PairsWrittenInPlaceGiveTheSameDirectionsAsCopiedOnes) {
  LbfgsDirection<double> copied({2}), in_place({2});
  copied.reset(3);
  in_place.reset(3);
  const std::vector<std::vector<double>> s = {{1, 0, 0.5}, {0.2, 1, 0}, {0, 0.3, 1}};
  const std::vector<std::vector<double>> y = {{2, 0.1, 1}, {0.5, 3, 0.2}, {0.1, 0.4, 1.5}};
  const std::vector<double> g = {1, -2, 0.5};
  std::vector<double> d_copied(3), d_in_place(3);
  for (std::size_t k = 0; k < s.size(); ++k) {
    copied.update({s[k], y[k], 1.0, -1.0});
    const PairBuffers<double> pair = in_place.next_pair();
    std::copy(s[k].begin(), s[k].end(), pair.s.begin());
    std::copy(y[k].begin(), y[k].end(), pair.y.begin());
    in_place.update({pair.s, pair.y, 1.0, -1.0});
    copied.direction(g, d_copied);
    in_place.direction(g, d_in_place);
    EXPECT_EQ(d_copied, d_in_place) << k;
  }
  EXPECT_EQ(in_place.stored(), 2u);
  // A pair without positive curvature, written over the oldest pair's slot,
  // is skipped and costs that pair (lbfgs.hpp).
  const PairBuffers<double> pair = in_place.next_pair();
  std::fill(pair.s.begin(), pair.s.end(), 1.0);
  std::fill(pair.y.begin(), pair.y.end(), -1.0);
  in_place.update({pair.s, pair.y, 1.0, -1.0});
  EXPECT_EQ(in_place.stored(), 1u);
}

// With exact line searches on a convex quadratic and m >= n, L-BFGS makes
// the conjugate-gradient iterates (N&W, Section 7.2, after Algorithm 7.5),
// so it ends in at most n iterations (N&W Theorem 5.2; n + 1 for rounding).
TEST(Lbfgs, EndsOnAQuadraticInAtMostNPlusOneIterationsWithExactLineSearch) {
  for (const std::size_t n : {2, 5, 8}) {
    const auto f = make_test_function("quadratic", n, 100);
    std::vector<double> x = f->start();
    LineSearchMinimizerConfig config;
    config.line_search.c1 = 1e-12;
    config.line_search.c2 = 1e-10;  // |phi'(alpha)| <= 1e-10 |phi'(0)|: exact
    config.stopping.gradient_tolerance = 1e-9;
    const SearchResult r = run_lbfgs(*f, x, config);
    EXPECT_EQ(r.reason, StopReason::gradient_small) << n;
    EXPECT_LE(r.iterations, n + 1) << n;
    EXPECT_LT(f->distance_to_minimizer(x), 1e-8) << n;
  }
}

// The goal: no more evaluations than the best of liblbfgs, LBFGSpp and
// torch.optim.LBFGS (bench/lbfgs). torch needs 44 at n = 2 and 45 at n = 100
// (stopping at max |g_i| <= 1e-5, where it is 1.5e-6 and 2e-8 from the
// minimizer); descent's stricter test here reaches 1e-6 in 41 and 46.
TEST(Lbfgs, ExtendedRosenbrockReachesTheMinimizerInFewEvaluations) {
  const std::vector<std::pair<std::size_t, std::size_t>> dims_and_budgets = {{2, 44}, {100, 46}};
  for (const auto& [n, budget] : dims_and_budgets) {
    const auto f = make_test_function("extended_rosenbrock", n);
    std::vector<double> x = f->start();
    LineSearchMinimizerConfig config;
    config.stopping.gradient_tolerance = 1e-6;
    const SearchResult r = run_lbfgs(*f, x, config);
    EXPECT_TRUE(r.converged()) << n << ": " << r.message;
    EXPECT_LT(f->distance_to_minimizer(x), 1e-6) << n;
    EXPECT_LE(r.evaluations, budget) << n;
    EXPECT_LE(r.iterations, 36u) << n;
  }
}

// torch.optim.LBFGS's conventions (first step min(1, 1/||g||_1), H0 =
// s.y / y.y, strong Wolfe with c1 = 1e-4, c2 = 0.9) give torch's iterates:
// in the first four iterations both line searches try the same steps.
TEST(Lbfgs, FirstIteratesMatchTorch) {
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/optim/reference/torch_lbfgs.json");
  ASSERT_TRUE(in) << "reference data missing";
  const auto reference = nlohmann::json::parse(in);
  const auto f = make_test_function("rosenbrock", 2);
  std::vector<double> x = reference.at("start").get<std::vector<double>>();
  std::vector<std::vector<double>> iterates;
  std::vector<std::size_t> evaluations;
  LineSearchMinimizerConfig config;
  config.stopping.max_iterations = reference.at("iterates").size();
  LbfgsDirection<double> direction({10, FirstStep::inverse_l1_norm});
  minimize_with_line_search(*f, direction, x, config, [&](const IterationReport<double>& r) {
    if (r.iteration == 0) return;
    iterates.emplace_back(r.x.begin(), r.x.end());
    evaluations.push_back(r.evaluations);
  });
  const auto expected = reference.at("iterates").get<std::vector<std::vector<double>>>();
  ASSERT_EQ(iterates.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    for (std::size_t i = 0; i < 2; ++i) EXPECT_NEAR(iterates[k][i], expected[k][i], 1e-13) << k;
    EXPECT_EQ(evaluations[k], reference.at("evaluations")[k].get<std::size_t>()) << k;
  }
}

TEST(Lbfgs, StopsForEachReasonAndSaysWhy) {
  const auto f = make_test_function("rosenbrock", 2);
  LineSearchMinimizerConfig config;
  std::vector<double> x = f->start();
  EXPECT_EQ(run_lbfgs(*f, x, config).reason, StopReason::gradient_small);

  config.stopping.max_iterations = 3;
  x = f->start();
  SearchResult r = run_lbfgs(*f, x, config);
  EXPECT_EQ(r.reason, StopReason::max_iterations);
  EXPECT_EQ(r.iterations, 3u);
  EXPECT_EQ(r.message, "reached max-iterations (3)");

  config = {};
  config.stopping.max_evaluations = 5;
  x = f->start();
  r = run_lbfgs(*f, x, config);
  EXPECT_EQ(r.reason, StopReason::max_evaluations);
  EXPECT_LE(r.evaluations, 5u);
  EXPECT_DOUBLE_EQ(r.f, f->value(x));

  config = {};
  config.stopping.f_tolerance = 0.5;  // stop once an iteration lowers f by under half
  x = f->start();
  r = run_lbfgs(*f, x, config);
  EXPECT_EQ(r.reason, StopReason::f_decrease_small);
  EXPECT_NE(r.message.find("relative decrease of f"), std::string::npos);
}

// f is NaN past x0 = 0.5, which the path to (1, 1) must cross: the line
// searches shrink their steps, and when none is left the run ends with the
// best iterate and says why.
TEST(Lbfgs, NanMidSearchKeepsTheBestPoint) {
  const auto rosenbrock = make_test_function("rosenbrock", 2);
  const Objective<double> fenced = [&](std::span<const double> x, std::span<double> g) {
    return x[0] > 0.5 ? std::nan("") : rosenbrock->value_and_gradient(x, g);
  };
  std::vector<double> x = rosenbrock->start();
  LbfgsDirection<double> direction;
  double best = rosenbrock->value(x);
  const SearchResult r = minimize_with_line_search<double>(
      fenced, direction, x, {},
      [&](const IterationReport<double>& report) { best = std::min(best, report.f); });
  EXPECT_FALSE(r.converged());
  EXPECT_EQ(r.reason, StopReason::line_search_failed) << r.message;
  EXPECT_NE(r.message.find("line search failed"), std::string::npos);
  EXPECT_LE(x[0], 0.5);
  EXPECT_LT(r.f, 0.3);
  EXPECT_EQ(r.f, best);
  EXPECT_EQ(r.f, rosenbrock->value(x));
}

TEST(Lbfgs, NanEverywhereButTheStartIsALineSearchFailure) {
  const Objective<double> only_start = [](std::span<const double> x, std::span<double> g) {
    g[0] = 2 * x[0];
    return x[0] == 3 ? 9.0 : std::nan("");
  };
  std::vector<double> x = {3};
  LbfgsDirection<double> direction;
  const SearchResult r = minimize_with_line_search<double>(only_start, direction, x, {});
  EXPECT_EQ(r.reason, StopReason::line_search_failed);
  EXPECT_NE(r.message.find("f was not finite at any trial step"), std::string::npos) << r.message;
  EXPECT_EQ(x[0], 3);
  EXPECT_EQ(r.f, 9);
}

TEST(Lbfgs, BadInputIsAClearError) {
  EXPECT_THROW(LbfgsDirection<double>({0}), ConfigError);
  try {
    LbfgsDirection<double>({0});
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "history: expected m >= 1, got 0");
  }
  const auto f = make_test_function("rosenbrock", 2);
  std::vector<double> x = {std::nan(""), 1};
  EXPECT_THROW(run_lbfgs(*f, x), ConfigError);
  x = {1, 2, 3};
  EXPECT_THROW(run_lbfgs(*f, x), ShapeError);
  const Objective<double> nan_at_start = [](std::span<const double>, std::span<double>) {
    return std::nan("");
  };
  x = {1, 2};
  LbfgsDirection<double> direction;
  EXPECT_EQ(minimize_with_line_search<double>(nan_at_start, direction, x, {}).reason,
            StopReason::not_finite);
}

TEST(Lbfgs, BacktrackingAlsoConverges) {
  const auto f = make_test_function("rosenbrock", 2);
  std::vector<double> x = f->start();
  LineSearchMinimizerConfig config;
  config.line_search.kind = LineSearchKind::backtracking;
  const SearchResult r = run_lbfgs(*f, x, config);
  EXPECT_TRUE(r.converged()) << r.message;
  EXPECT_LT(f->distance_to_minimizer(x), 1e-4);
}

// The float32 path that network training will take: float buffers, sums in double.
TEST(Lbfgs, WorksInFloat) {
  const auto f = make_test_function("extended_rosenbrock", 10);
  std::vector<float> x(f->start().begin(), f->start().end());
  std::vector<double> xd(x.size()), gd(x.size());
  const Objective<float> objective = [&](std::span<const float> xf, std::span<float> g) {
    std::copy(xf.begin(), xf.end(), xd.begin());
    const double value = f->value_and_gradient(xd, gd);
    std::transform(gd.begin(), gd.end(), g.begin(), [](double v) { return static_cast<float>(v); });
    return value;
  };
  LineSearchMinimizerConfig config;
  config.stopping.gradient_tolerance = 1e-3;
  LbfgsDirection<float> direction;
  const SearchResult r = minimize_with_line_search<float>(objective, direction, x, config);
  EXPECT_NE(r.reason, StopReason::not_finite);
  for (float v : x) EXPECT_NEAR(v, 1.0f, 1e-3f);
}

}  // namespace
}  // namespace descent

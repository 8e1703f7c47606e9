#include "descent/optim/conjugate_gradient.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "descent/optim/minimize.hpp"
#include "descent/optim/test_functions.hpp"

namespace descent {
namespace {

// N&W eq. 5.44-5.45 by hand: g0 = (1, 0), d0 = -g0; after the step,
// g1 = (0.5, 1), y0 = g1 - g0 = (-0.5, 1):
//   beta = max(0, g1.y0 / g0.g0) = max(0, -0.25 + 1) = 0.75
//   d1 = -g1 + beta d0 = (-0.5 - 0.75, -1) = (-1.25, -1)
TEST(ConjugateGradientDirection, PolakRibierePlusByHand) {
  ConjugateGradientDirection<double> cg;
  cg.reset(2);
  const std::vector<double> g0 = {1, 0}, g1 = {0.5, 1}, y0 = {-0.5, 1}, s0 = {-1, 0};
  std::vector<double> d(2, 0.0);
  cg.direction(g0, d);
  EXPECT_EQ(d, (std::vector<double>{-1, 0}));
  cg.update({s0, y0, 1.0, -1.0});
  cg.direction(g1, d);
  EXPECT_DOUBLE_EQ(d[0], -1.25);
  EXPECT_DOUBLE_EQ(d[1], -1.0);
}

// A negative Polak-Ribiere beta is replaced by 0 (eq. 5.45): steepest descent.
TEST(ConjugateGradientDirection, NegativeBetaRestarts) {
  ConjugateGradientDirection<double> cg;
  cg.reset(2);
  const std::vector<double> g0 = {1, 0}, g1 = {0.5, 0}, y0 = {-0.5, 0}, s0 = {-1, 0};
  std::vector<double> d(2, 0.0);
  cg.direction(g0, d);
  cg.update({s0, y0, 1.0, -1.0});
  cg.direction(g1, d);  // beta_PR = -0.25
  EXPECT_EQ(d, (std::vector<double>{-0.5, 0}));
}

TEST(ConjugateGradientDirection, RestartsEveryNIterations) {
  ConjugateGradientDirection<double> cg({1});
  cg.reset(2);
  const std::vector<double> g0 = {1, 0}, g1 = {0.5, 1}, y0 = {-0.5, 1}, s0 = {-1, 0};
  std::vector<double> d(2, 0.0);
  cg.direction(g0, d);
  cg.update({s0, y0, 1.0, -1.0});
  EXPECT_FALSE(cg.is_fresh());
  cg.direction(g1, d);
  EXPECT_EQ(d, (std::vector<double>{-0.5, -1}));
}

// With exact line searches on a convex quadratic, nonlinear CG is linear CG
// and ends in at most n iterations (N&W Theorem 5.2); rounding leaves a
// residual above the tight tolerance that up to two more iterations remove.
TEST(ConjugateGradient, EndsOnAQuadraticInAboutNIterationsWithExactLineSearch) {
  for (const std::size_t n : {2, 5, 8}) {
    const auto f = make_test_function("quadratic", n, 100);
    std::vector<double> x = f->start();
    LineSearchMinimizerConfig config;
    config.line_search.c1 = 1e-12;
    config.line_search.c2 = 1e-10;
    config.stopping.gradient_tolerance = 1e-9;
    ConjugateGradientDirection<double> cg;
    const SearchResult r = minimize_with_line_search(*f, cg, x, config);
    EXPECT_EQ(r.reason, StopReason::gradient_small) << n;
    EXPECT_LE(r.iterations, n + 2) << n;
  }
}

TEST(ConjugateGradient, ReachesRosenbrocksMinimizer) {
  for (const std::string name : {"rosenbrock", "extended_rosenbrock"}) {
    const auto f = make_test_function(name, name == "rosenbrock" ? 2 : 100);
    std::vector<double> x = f->start();
    LineSearchMinimizerConfig config;
    config.line_search.c2 = 0.1;
    config.stopping.gradient_tolerance = 1e-8;
    ConjugateGradientDirection<double> cg;
    const SearchResult r = minimize_with_line_search(*f, cg, x, config);
    EXPECT_TRUE(r.converged()) << name << ": " << r.message;
    EXPECT_LT(f->distance_to_minimizer(x), 1e-6) << name;
  }
}

}  // namespace
}  // namespace descent

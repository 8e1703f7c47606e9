#include "descent/optim/test_functions.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/optim/minimize.hpp"
#include "descent/optim/registry.hpp"

namespace descent {
namespace {

class EveryFunction : public ::testing::TestWithParam<std::string> {};

// The analytic gradient against centered differences, at the start and at a
// second point off the axes.
TEST_P(EveryFunction, GradientMatchesCenteredDifferences) {
  const auto f = make_test_function(GetParam(), GetParam() == "rosenbrock" ? 4 : 0);
  for (double shift : {0.0, 0.37}) {
    std::vector<double> x = f->start();
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += shift * static_cast<double>(i + 1);
    std::vector<double> g(x.size()), unused(x.size());
    f->value_and_gradient(x, g);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double h = 1e-6;
      std::vector<double> plus = x, minus = x;
      plus[i] += h;
      minus[i] -= h;
      const double numeric = (f->value(plus) - f->value(minus)) / (2 * h);
      EXPECT_NEAR(g[i], numeric, 1e-5 * std::max(1.0, std::abs(numeric))) << GetParam() << i;
    }
  }
}

TEST_P(EveryFunction, MinimizersHaveTheMinimumAndZeroGradient) {
  const auto f = make_test_function(GetParam());
  for (const auto& m : f->minimizers()) {
    std::vector<double> g(m.size());
    EXPECT_NEAR(f->value_and_gradient(m, g), f->minimum(), 1e-12);
    for (double gi : g) EXPECT_NEAR(gi, 0.0, 1e-9);
    EXPECT_DOUBLE_EQ(f->distance_to_minimizer(m), 0.0);
  }
  EXPECT_GT(f->value(f->start()), f->minimum());
}

INSTANTIATE_TEST_SUITE_P(TestFunctions, EveryFunction,
                         ::testing::Values("rosenbrock", "beale", "sphere", "booth", "himmelblau",
                                           "saddle", "rastrigin", "extended_rosenbrock",
                                           "quadratic"));

TEST(TestFunctions, KnownValues) {
  EXPECT_DOUBLE_EQ(make_test_function("rosenbrock")->value(std::vector<double>{-1.2, 1}), 24.2);
  EXPECT_DOUBLE_EQ(make_test_function("booth")->value(std::vector<double>{0, 0}), 74);
  EXPECT_DOUBLE_EQ(make_test_function("himmelblau")->value(std::vector<double>{0, 0}), 170);
  EXPECT_DOUBLE_EQ(make_test_function("rastrigin", 3)->value(std::vector<double>{0, 0, 0}), 0);
  EXPECT_EQ(make_test_function("rosenbrock", 5)->start(),
            (std::vector<double>{-1.2, 1, -1.2, 1, -1.2}));
  EXPECT_TRUE(make_test_function("saddle")->minimizers().empty());
}

TEST(TestFunctions, ExtendedRosenbrockAndQuadraticKnownValues) {
  // Two independent 2-D Rosenbrocks, each 24.2 at (-1.2, 1).
  EXPECT_DOUBLE_EQ(make_test_function("extended_rosenbrock", 4)->value(
                       std::vector<double>{-1.2, 1, -1.2, 1}),
                   48.4);
  // a = (1, 10, 100) for kappa 100 in 3-D: f(1, 1, 1) = (1 + 10 + 100) / 2.
  EXPECT_DOUBLE_EQ(make_test_function("quadratic", 3, 100)->value(std::vector<double>{1, 1, 1}),
                   55.5);
  EXPECT_DOUBLE_EQ(make_test_function("quadratic", 2)->value(std::vector<double>{0, 1}),
                   0.5 * default_quadratic_kappa);
  EXPECT_THROW(make_test_function("extended_rosenbrock", 3), ConfigError);
  EXPECT_THROW(make_test_function("quadratic", 3, 0.5), ConfigError);
  EXPECT_THROW(make_test_function("sphere", 3, 10), ConfigError);
}

// Gradient descent at the optimal constant step 2 / (1 + kappa) contracts
// the two extreme eigencomponents by exactly r = (kappa - 1) / (kappa + 1)
// per step, so f falls by r^2 per step once the others have died out:
//   f_k ~ (a_min + a_max) / 2 r^(2k)  (from x0 = (1, ..., 1))
//   k(1e-10 f0) = ln(1e-10 f0 / ((1 + kappa) / 2)) / ln(r^2)
// GD's count must match that within 1%; L-BFGS must need far fewer.
TEST(Quadratic, LbfgsBeatsGradientDescentByTheFactorTheoryPredicts) {
  const double kappa = 100;
  const auto f = make_test_function("quadratic", 100, kappa);
  const double f0 = f->value(f->start());
  const double target = 1e-10 * f0;
  auto sgd = make_optimizer<double>("sgd");
  std::size_t gd_steps = 0;
  minimize(*f, *sgd, f->start(), 100000, [&](std::size_t) { return 2 / (1 + kappa); },
           [&](std::size_t step, double value, std::span<const double>) {
             if (value >= target) gd_steps = step + 1;
           });
  const double r = (kappa - 1) / (kappa + 1);
  const double predicted = std::log(target / ((1 + kappa) / 2)) / std::log(r * r);
  EXPECT_NEAR(static_cast<double>(gd_steps), predicted, 0.01 * predicted);

  std::vector<double> x = f->start();
  LbfgsDirection<double> lbfgs;
  std::size_t lbfgs_iterations = 0;
  LineSearchMinimizerConfig config;
  config.stopping.gradient_tolerance = 0;
  config.stopping.max_iterations = 10000;
  minimize_with_line_search(*f, lbfgs, x, config, [&](const IterationReport<double>& report) {
    if (report.f >= target) lbfgs_iterations = report.iteration + 1;
  });
  EXPECT_LT(lbfgs_iterations * 5, gd_steps) << lbfgs_iterations << " vs " << gd_steps;
}

TEST(TestFunctions, BadNamesAndDimensionsAreNamed) {
  EXPECT_THROW(make_test_function("nowhere"), ConfigError);
  EXPECT_THROW(make_test_function("beale", 3), ConfigError);
  EXPECT_THROW(make_test_function("rosenbrock", 1), ConfigError);
}

double final_value(const std::string& optimizer, const std::string& function, double lr,
                   std::size_t steps, double decay = 1.0) {
  const auto f = make_test_function(function);
  auto opt = make_optimizer<double>(optimizer);
  return minimize(*f, *opt, f->start(), steps,
                  [lr, decay](std::size_t t) { return lr * std::pow(decay, t); })
      .f;
}

// The notes' Figure: on the same budget, momentum gets further down
// Rosenbrock's valley than plain SGD.
TEST(Minimize, MomentumBeatsSgdOnRosenbrock) {
  const double sgd = final_value("sgd", "rosenbrock", 1e-3, 500);
  const double momentum = final_value("momentum", "rosenbrock", 1e-3, 500);
  EXPECT_LT(momentum, 0.5 * sgd);
}

// With an exponentially decaying learning rate (sign-like updates, as
// RMSProp's and Lion's, need it to settle).
TEST(Minimize, EveryOptimizerConvergesOnTheSphere) {
  for (const auto& name : optimizer_names()) {
    const double lr = name == "adadelta" ? 20.0 : (name == "adagrad" ? 0.5 : 0.05);
    EXPECT_LT(final_value(name, "sphere", lr, 3000, 0.998), 1e-6) << name;
  }
}

TEST(Minimize, SeesTheStartAndEveryPointAfter) {
  const auto f = make_test_function("booth");
  auto sgd = make_optimizer<double>("sgd");
  std::vector<std::size_t> steps;
  std::vector<double> values;
  const auto result = minimize(
      *f, *sgd, f->start(), 10, [](std::size_t t) { return 0.01 / static_cast<double>(t + 1); },
      [&](std::size_t step, double value, std::span<const double> x) {
        steps.push_back(step);
        values.push_back(value);
        EXPECT_DOUBLE_EQ(value, f->value(x));
      });
  ASSERT_EQ(steps.size(), 11u);
  EXPECT_EQ(steps.front(), 0u);
  EXPECT_EQ(steps.back(), 10u);
  EXPECT_DOUBLE_EQ(values.front(), 74);
  EXPECT_EQ(result.steps, 10u);
  EXPECT_DOUBLE_EQ(result.f, values.back());
  // The first update uses lr(0) = 0.01: x1 = x0 - 0.01 * grad(0, 0) = (0.34, 0.38).
  std::vector<double> g(2);
  f->value_and_gradient(std::vector<double>{0, 0}, g);
  EXPECT_DOUBLE_EQ(g[0], -34);
  EXPECT_DOUBLE_EQ(g[1], -38);
}

TEST(Minimize, DivergenceKeepsTheLastFinitePoint) {
  const auto f = make_test_function("rosenbrock");
  auto sgd = make_optimizer<double>("sgd");
  const auto result = minimize(*f, *sgd, f->start(), 100, [](std::size_t) { return 1.0; });
  EXPECT_TRUE(result.diverged);
  for (double x : result.x) EXPECT_TRUE(std::isfinite(x));
}

TEST(Minimize, RejectsAStartOfTheWrongSizeOrNotFinite) {
  const auto f = make_test_function("beale");
  auto sgd = make_optimizer<double>("sgd");
  const auto lr = [](std::size_t) { return 0.1; };
  EXPECT_THROW(minimize(*f, *sgd, {1, 2, 3}, 1, lr), ShapeError);
  EXPECT_THROW(minimize(*f, *sgd, {1, std::nan("")}, 1, lr), ConfigError);
}

}  // namespace
}  // namespace descent

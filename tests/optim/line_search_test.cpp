#include "descent/optim/line_search.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "descent/core/error.hpp"

namespace descent {
namespace {

struct OneD {
  std::string name;
  LineFunction phi;
};

// 1-D functions with phi'(0) < 0: a parabola with its minimum at 1, Moré &
// Thuente's (1994) first two test functions, and a parabola that is NaN past
// alpha = 3 (a step too long lands where f is not defined).
std::vector<OneD> one_d_functions() {
  return {
      {"parabola", [](double a) { return LinePoint{(a - 1) * (a - 1), 2 * (a - 1)}; }},
      {"more_thuente_1",
       [](double a) {
         const double b = 2;
         return LinePoint{-a / (a * a + b), (a * a - b) / ((a * a + b) * (a * a + b))};
       }},
      {"more_thuente_2",
       [](double a) {
         const double t = a + 0.004;
         return LinePoint{std::pow(t, 5) - 2 * std::pow(t, 4),
                          5 * std::pow(t, 4) - 8 * std::pow(t, 3)};
       }},
      {"nan_past_3",
       [](double a) {
         if (a > 3) return LinePoint{std::nan(""), std::nan("")};
         return LinePoint{(a - 1) * (a - 1), 2 * (a - 1)};
       }},
  };
}

// Steps from far too short to far too long.
const std::vector<double> initial_steps = {1e-3, 0.1, 1, 10, 1000};

TEST(StrongWolfe, EveryStepSatisfiesBothConditions) {
  LineSearchConfig config;
  for (const double c2 : {0.9, 0.1}) {
    config.c2 = c2;
    for (const auto& f : one_d_functions()) {
      const LinePoint at_zero = f.phi(0);
      ASSERT_LT(at_zero.slope, 0) << f.name;
      for (const double alpha0 : initial_steps) {
        const auto r = strong_wolfe_search(f.phi, at_zero, alpha0, config, 30);
        const std::string where = f.name + " from " + std::to_string(alpha0);
        ASSERT_EQ(r.status, LineSearchStatus::converged) << where;
        // N&W eq. 3.7
        EXPECT_LE(r.at_step.value, at_zero.value + config.c1 * r.step * at_zero.slope) << where;
        EXPECT_LE(std::abs(r.at_step.slope), config.c2 * std::abs(at_zero.slope)) << where;
        // The last evaluation was at the accepted step.
        EXPECT_EQ(r.at_step.value, f.phi(r.step).value) << where;
        EXPECT_LE(r.evaluations, 16u) << where;
      }
    }
  }
}

TEST(StrongWolfe, AnAcceptableFirstStepCostsOneEvaluation) {
  const auto parabola = one_d_functions()[0].phi;
  const auto r = strong_wolfe_search(parabola, parabola(0), 1.0, {}, 20);
  EXPECT_EQ(r.evaluations, 1u);
  EXPECT_EQ(r.step, 1.0);
}

TEST(StrongWolfe, TooShortAFirstStepIsExtrapolated) {
  const auto parabola = one_d_functions()[0].phi;
  const auto r = strong_wolfe_search(parabola, parabola(0), 1e-3, {}, 20);
  EXPECT_EQ(r.status, LineSearchStatus::converged);
  EXPECT_GT(r.step, 0.05);  // |phi'(a)| <= 0.9 |phi'(0)| needs a >= 0.1 - rounding
}

TEST(StrongWolfe, FailuresAreStatusesNotExceptions) {
  const LineFunction everywhere_nan = [](double) { return LinePoint{std::nan(""), 0.0}; };
  EXPECT_EQ(strong_wolfe_search(everywhere_nan, {1, -1}, 1, {}, 20).status,
            LineSearchStatus::not_finite);
  const LineFunction unbounded = [](double a) { return LinePoint{-a, -1}; };
  LineSearchConfig config;
  config.max_step = 100;
  EXPECT_EQ(strong_wolfe_search(unbounded, {0, -1}, 1, config, 50).status,
            LineSearchStatus::step_limit);
  config.max_step = 1e20;
  const auto r = strong_wolfe_search(unbounded, {0, -1}, 1, config, 3);
  EXPECT_EQ(r.status, LineSearchStatus::evaluation_limit);
  EXPECT_EQ(r.evaluations, 3u);
}

TEST(Backtracking, TakesTheFirstStepOfTheSequenceWithSufficientDecrease) {
  LineSearchConfig config;
  config.kind = LineSearchKind::backtracking;
  for (const auto& f : one_d_functions()) {
    const LinePoint at_zero = f.phi(0);
    for (const double alpha0 : initial_steps) {
      const auto r = line_search(f.phi, at_zero, alpha0, config, 60);
      const std::string where = f.name + " from " + std::to_string(alpha0);
      ASSERT_EQ(r.status, LineSearchStatus::converged) << where;
      const auto armijo = [&](double a) {
        const LinePoint p = f.phi(a);
        return std::isfinite(p.value) && p.value <= at_zero.value + config.c1 * a * at_zero.slope;
      };
      EXPECT_TRUE(armijo(r.step)) << where;
      if (r.step < alpha0) {
        EXPECT_FALSE(armijo(r.step / config.shrink)) << where;
      }
      EXPECT_DOUBLE_EQ(r.step, alpha0 * std::pow(config.shrink, r.evaluations - 1.0)) << where;
    }
  }
}

TEST(LineSearchConfig, NamesTheFieldAtFault) {
  LineSearchConfig config;
  config.c2 = 1e-5;
  try {
    config.validate();
    FAIL() << "c2 < c1 accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("c2: must satisfy c1 < c2 < 1"), std::string::npos);
  }
  config = {};
  config.c1 = 0.5;
  EXPECT_THROW(config.validate(), ConfigError);
  config = {};
  config.shrink = 1;
  EXPECT_THROW(config.validate(), ConfigError);
  config = {};
  config.max_evaluations = 0;
  EXPECT_THROW(config.validate(), ConfigError);
  EXPECT_THROW(line_search_kind("wolfe"), ConfigError);
  EXPECT_EQ(line_search_kind("backtracking"), LineSearchKind::backtracking);
}

}  // namespace
}  // namespace descent

// Mean and spread of one configuration's results over seeds: mean +- standard
// deviation for bands on curves, and a 95% confidence interval of the mean
// with Student's t for tables.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace descent {

struct Spread {
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = 0;
  double mean = kNone;
  // Sample standard deviation, s = sqrt(sum (x_i - mean)^2 / (n - 1)).
  double sd = kNone;
  // mean -+ t_{0.975, n-1} s / sqrt(n): the 95% confidence interval of the
  // mean under Student's t with n - 1 degrees of freedom.
  double ci95_low = kNone;
  double ci95_high = kNone;
};

// Of the values as given. sd and the interval are NaN for n < 2, and where the
// mean is not finite (a seed that never reached a target, +inf, makes the
// mean +inf); the mean is NaN for n = 0.
Spread spread_of(std::span<const double> values);

// t_{0.975, dof}: the two-sided 95% quantile of Student's t distribution,
// P(|T| <= t) = 0.95, solved by bisection on the exact distribution function
// of Abramowitz and Stegun, Handbook of Mathematical Functions (1964), 26.7.3
// (odd dof) and 26.7.4 (even dof). ConfigError for dof = 0.
double student_t_975(std::size_t dof);

// Per-epoch bands over seeds: curves[s][e] is seed s's value at epoch e. Entry
// e is the Spread of the finite values at epoch e (curves may differ in
// length, and a diverged seed's NaN is left out, which its smaller n shows).
std::vector<Spread> seed_band(std::span<const std::vector<double>> curves);

// The rule by which the report calls two results a tie: a and b are within
// each other's spread when their mean +- sd bands overlap,
//   |mean_a - mean_b| <= sd_a + sd_b,
// with the sd of a single seed (unknown) taken as 0; equal means, infinite
// ones included, are always within.
bool within_spread(const Spread& a, const Spread& b);

}  // namespace descent

// Performance profiles (Dolan and More, "Benchmarking optimization software
// with performance profiles", Math. Programming 91, 2002) and the benchmark
// score that MLCommons AlgoPerf integrates from them (docs/DOCUMENTATION.md of
// github.com/mlcommons/algorithmic-efficiency, "AlgoPerf Benchmark Score via
// Integrated Performance Profiles"):
//
//   ratio      r_{m,p} = t_{m,p} / min_m' t_{m',p}      (method m, problem p)
//   profile    rho_m(tau) = |{p : r_{m,p} <= tau}| / n_problems
//   score      B_m = 1 / (tau_max - 1) * integral_1^tau_max rho_m(tau) dtau,
//              tau_max = 4
//
// on a linear tau axis. rho_m is a step function, so the integral is exact:
//   B_m = 1/n sum_p max(0, tau_max - r_{m,p}) / (tau_max - 1)
// (a problem solved within ratio r counts from tau = r to tau_max). AlgoPerf's
// scoring code (scoring/performance_profile.py) approximates the same integral
// by the trapezoid rule on 100 linearly spaced points of [1, 4]; a method more
// than 4 times slower than the best gets nothing on that problem, as one that
// never reaches the target (+inf). A problem that no method reaches counts in
// n_problems and gives every method nothing.
#pragma once

#include <span>
#include <vector>

namespace descent {

inline constexpr double kAlgoPerfTauMax = 4;

// times[m][p]: method m's time to target on problem p, > 0, or +inf if it
// never reached the target. Returns r[m][p], +inf where t is +inf. ConfigError
// for no methods or problems, rows of unequal length, or a time that is NaN
// or <= 0, naming the method and problem (counted from 1).
std::vector<std::vector<double>> performance_ratios(const std::vector<std::vector<double>>& times);

// rho(tau) of one method, from its ratios on every problem (ConfigError if
// there are none, here and below).
double profile_at(std::span<const double> ratios, double tau);

// rho as a step function on [1, tau_max]: points (tau_k, rho(tau_k)), rho
// holding its value from tau_k up to tau_{k+1}; the first point is tau = 1,
// then one per distinct ratio in (1, tau_max], and the last is tau_max.
struct ProfilePoint {
  double tau = 0;
  double rho = 0;
};
std::vector<ProfilePoint> profile_steps(std::span<const double> ratios,
                                        double tau_max = kAlgoPerfTauMax);

// B_m of one method, in [0, 1]; 1 when it is the fastest on every problem.
double profile_score(std::span<const double> ratios, double tau_max = kAlgoPerfTauMax);

}  // namespace descent

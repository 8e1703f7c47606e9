// Test functions for optimizers, each with its answer key: the usual start
// point, a minimizer and the minimum (as ensmallen's test problems carry
// theirs). All in double precision.
//   rosenbrock  sum_i 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, n >= 2,
//               start (-1.2, 1, -1.2, 1, ...), minimum 0 at (1, ..., 1)
//   beale       (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2,
//               start (1, 1.5), minimum 0 at (3, 0.5)
//   sphere      sum x^2, start (1, ..., 1), minimum 0 at the origin
//   booth       (x + 2y - 7)^2 + (2x + y - 5)^2, start (0, 0), minimum 0 at (1, 3)
//   himmelblau  (x^2 + y - 11)^2 + (x + y^2 - 7)^2, start (0, 0), minimum 0 at
//               (3, 2) and three other points; the distance is to the nearest
//   saddle      x^2 - y^2, start (1, 1e-3), a saddle at the origin, unbounded below
//   rastrigin   10 n + sum x^2 - 10 cos(2 pi x), start (2.2, ..., 2.2),
//               minimum 0 at the origin among many local minima
//   extended_rosenbrock  sum_i 100 (x[2i+1] - x[2i]^2)^2 + (1 - x[2i])^2, n even
//               (Moré, Garbow & Hillstrom 1981, problem 21: n/2 independent
//               2-D Rosenbrocks), start (-1.2, 1, ...), minimum 0 at (1, ..., 1)
//   quadratic   1/2 x^T A x, A = diag(a_0..a_{n-1}), a_i = kappa^(i/(n-1)): the
//               eigenvalues spread log-uniformly over [1, kappa], so kappa is
//               the condition number; start (1, ..., 1), minimum 0 at the origin
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace descent {

class TestFunction {
 public:
  virtual ~TestFunction() = default;
  virtual std::string name() const = 0;
  std::size_t dim() const { return start_.size(); }

  // f(x), and its gradient into `gradient` (same length as x).
  virtual double value_and_gradient(std::span<const double> x,
                                    std::span<double> gradient) const = 0;
  double value(std::span<const double> x) const;

  const std::vector<double>& start() const { return start_; }
  // The minimizers (several for himmelblau; none for the saddle).
  const std::vector<std::vector<double>>& minimizers() const { return minimizers_; }
  double minimum() const { return minimum_; }
  // Euclidean distance from x to the nearest minimizer (infinity if none).
  double distance_to_minimizer(std::span<const double> x) const;

 protected:
  std::vector<double> start_;
  std::vector<std::vector<double>> minimizers_;
  double minimum_ = 0;
};

// Every name make_test_function accepts.
const std::vector<std::string>& test_function_names();

inline constexpr double default_quadratic_kappa = 100;

// `dim` applies to rosenbrock, sphere, rastrigin, extended_rosenbrock and
// quadratic (0: their default, 2); the others are 2-D and reject another dim.
// `kappa` is the quadratic's condition number (0: default_quadratic_kappa;
// else >= 1) and an error for any other function. ConfigError for unknown
// names.
std::unique_ptr<TestFunction> make_test_function(const std::string& name, std::size_t dim = 0,
                                                 double kappa = 0);

}  // namespace descent

#include "descent/optim/test_functions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

namespace {

class Rosenbrock final : public TestFunction {
 public:
  explicit Rosenbrock(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) start_.push_back(i % 2 == 0 ? -1.2 : 1.0);
    minimizers_ = {std::vector<double>(n, 1.0)};
  }
  std::string name() const override { return "rosenbrock"; }
  double value_and_gradient(std::span<const double> x, std::span<double> g) const override {
    double f = 0;
    std::fill(g.begin(), g.end(), 0.0);
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
      const double r = x[i + 1] - x[i] * x[i];
      const double s = 1 - x[i];
      f += 100 * r * r + s * s;
      g[i] += -400 * x[i] * r - 2 * s;
      g[i + 1] += 200 * r;
    }
    return f;
  }
};

// Moré, Garbow & Hillstrom's extended Rosenbrock: n/2 independent copies of
// the 2-D function, pairs (x[2i], x[2i+1]).
class ExtendedRosenbrock final : public TestFunction {
 public:
  explicit ExtendedRosenbrock(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) start_.push_back(i % 2 == 0 ? -1.2 : 1.0);
    minimizers_ = {std::vector<double>(n, 1.0)};
  }
  std::string name() const override { return "extended_rosenbrock"; }
  double value_and_gradient(std::span<const double> x, std::span<double> g) const override {
    double f = 0;
    for (std::size_t i = 0; i + 1 < x.size(); i += 2) {
      const double r = x[i + 1] - x[i] * x[i];
      const double s = 1 - x[i];
      f += 100 * r * r + s * s;
      g[i] = -400 * x[i] * r - 2 * s;
      g[i + 1] = 200 * r;
    }
    return f;
  }
};

class Quadratic final : public TestFunction {
 public:
  Quadratic(std::size_t n, double kappa) {
    start_.assign(n, 1.0);
    minimizers_ = {std::vector<double>(n, 0.0)};
    for (std::size_t i = 0; i < n; ++i) {
      const double fraction = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
      a_.push_back(std::pow(kappa, fraction));
    }
  }
  std::string name() const override { return "quadratic"; }
  double value_and_gradient(std::span<const double> x, std::span<double> g) const override {
    double f = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      g[i] = a_[i] * x[i];
      f += 0.5 * a_[i] * x[i] * x[i];
    }
    return f;
  }

 private:
  std::vector<double> a_;  // (n) the diagonal of A, kappa^(i / (n - 1))
};

class Beale final : public TestFunction {
 public:
  Beale() {
    start_ = {1.0, 1.5};
    minimizers_ = {{3.0, 0.5}};
  }
  std::string name() const override { return "beale"; }
  double value_and_gradient(std::span<const double> p, std::span<double> g) const override {
    const double x = p[0], y = p[1];
    const double a = 1.5 - x + x * y;
    const double b = 2.25 - x + x * y * y;
    const double c = 2.625 - x + x * y * y * y;
    g[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
    g[1] = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y;
    return a * a + b * b + c * c;
  }
};

class Sphere final : public TestFunction {
 public:
  explicit Sphere(std::size_t n) {
    start_.assign(n, 1.0);
    minimizers_ = {std::vector<double>(n, 0.0)};
  }
  std::string name() const override { return "sphere"; }
  double value_and_gradient(std::span<const double> x, std::span<double> g) const override {
    double f = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      f += x[i] * x[i];
      g[i] = 2 * x[i];
    }
    return f;
  }
};

class Booth final : public TestFunction {
 public:
  Booth() {
    start_ = {0.0, 0.0};
    minimizers_ = {{1.0, 3.0}};
  }
  std::string name() const override { return "booth"; }
  double value_and_gradient(std::span<const double> p, std::span<double> g) const override {
    const double a = p[0] + 2 * p[1] - 7;
    const double b = 2 * p[0] + p[1] - 5;
    g[0] = 2 * a + 4 * b;
    g[1] = 4 * a + 2 * b;
    return a * a + b * b;
  }
};

class Himmelblau final : public TestFunction {
 public:
  Himmelblau() {
    start_ = {0.0, 0.0};
    minimizers_ = {{3.0, 2.0},
                   {-2.805118086952745, 3.131312518250573},
                   {-3.779310253377747, -3.283185991286170},
                   {3.584428340330492, -1.848126526964404}};
  }
  std::string name() const override { return "himmelblau"; }
  double value_and_gradient(std::span<const double> p, std::span<double> g) const override {
    const double x = p[0], y = p[1];
    const double a = x * x + y - 11;
    const double b = x + y * y - 7;
    g[0] = 4 * x * a + 2 * b;
    g[1] = 2 * a + 4 * y * b;
    return a * a + b * b;
  }
};

class Saddle final : public TestFunction {
 public:
  Saddle() {
    start_ = {1.0, 1e-3};
    minimum_ = -std::numeric_limits<double>::infinity();
  }
  std::string name() const override { return "saddle"; }
  double value_and_gradient(std::span<const double> p, std::span<double> g) const override {
    g[0] = 2 * p[0];
    g[1] = -2 * p[1];
    return p[0] * p[0] - p[1] * p[1];
  }
};

class Rastrigin final : public TestFunction {
 public:
  explicit Rastrigin(std::size_t n) {
    start_.assign(n, 2.2);
    minimizers_ = {std::vector<double>(n, 0.0)};
  }
  std::string name() const override { return "rastrigin"; }
  double value_and_gradient(std::span<const double> x, std::span<double> g) const override {
    constexpr double two_pi = 2 * std::numbers::pi;
    double f = 10.0 * static_cast<double>(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      f += x[i] * x[i] - 10 * std::cos(two_pi * x[i]);
      g[i] = 2 * x[i] + 10 * two_pi * std::sin(two_pi * x[i]);
    }
    return f;
  }
};

}  // namespace

double TestFunction::value(std::span<const double> x) const {
  std::vector<double> unused(x.size());
  return value_and_gradient(x, unused);
}

double TestFunction::distance_to_minimizer(std::span<const double> x) const {
  double best = std::numeric_limits<double>::infinity();
  for (const auto& m : minimizers_) {
    double squares = 0;
    for (std::size_t i = 0; i < x.size(); ++i) squares += (x[i] - m[i]) * (x[i] - m[i]);
    best = std::min(best, std::sqrt(squares));
  }
  return best;
}

const std::vector<std::string>& test_function_names() {
  static const std::vector<std::string> names = {
      "rosenbrock", "beale",     "sphere",        "booth", "himmelblau",
      "saddle",     "rastrigin", "extended_rosenbrock", "quadratic"};
  return names;
}

std::unique_ptr<TestFunction> make_test_function(const std::string& name, std::size_t dim,
                                                 double kappa) {
  const bool any_dim = name == "rosenbrock" || name == "sphere" || name == "rastrigin" ||
                       name == "extended_rosenbrock" || name == "quadratic";
  if (!any_dim && dim != 0 && dim != 2) {
    throw ConfigError("dim: " + name + " is 2-dimensional, got --dim " + std::to_string(dim));
  }
  if (name != "quadratic" && kappa != 0) {
    throw ConfigError("kappa: only the quadratic has a condition number, not " + name);
  }
  const std::size_t n = dim == 0 ? 2 : dim;
  if (name == "rosenbrock" && n < 2) throw ConfigError("dim: rosenbrock needs at least 2");
  if (name == "extended_rosenbrock" && n % 2 != 0) {
    throw ConfigError("dim: extended_rosenbrock needs an even dimension, got " + std::to_string(n));
  }
  if (n < 1) throw ConfigError("dim: expected at least 1");
  if (name == "rosenbrock") return std::make_unique<Rosenbrock>(n);
  if (name == "extended_rosenbrock") return std::make_unique<ExtendedRosenbrock>(n);
  if (name == "quadratic") {
    if (kappa == 0) kappa = default_quadratic_kappa;
    if (!(kappa >= 1) || !std::isfinite(kappa)) {
      throw ConfigError("kappa: expected a finite condition number >= 1, got " + shortest(kappa));
    }
    return std::make_unique<Quadratic>(n, kappa);
  }
  if (name == "beale") return std::make_unique<Beale>();
  if (name == "sphere") return std::make_unique<Sphere>(n);
  if (name == "booth") return std::make_unique<Booth>();
  if (name == "himmelblau") return std::make_unique<Himmelblau>();
  if (name == "saddle") return std::make_unique<Saddle>();
  if (name == "rastrigin") return std::make_unique<Rastrigin>(n);
  std::string known;
  for (const auto& n2 : test_function_names()) known += (known.empty() ? "" : ", ") + n2;
  throw ConfigError("function: unknown '" + name + "', expected one of: " + known);
}

}  // namespace descent

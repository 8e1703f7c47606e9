// What the tests of momentum, nesterov, adagrad, rmsprop and adadelta share:
// the PyTorch reference cases (reference/make_momentum_family.py), Rosenbrock
// and the sphere, and the checks every optimizer gets: resuming from saved
// state, the same result at one and two threads, errors that name the field.
#pragma once

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/registry.hpp"

namespace descent::momentum_family {

using nlohmann::json;

// The bound on |w - w_torch| in double precision. Values are O(1), so it is
// also a relative bound; each step differs from torch's only in the order of
// roundings (~1e-16), and the largest deviation measured over all cases,
// 200 Rosenbrock steps included, is 3e-15. A formula difference is far larger:
// eps = 1e-8 moved inside the root changes a step of size lr by ~5e-10 * lr.
inline constexpr double kDoubleBound = 1e-12;

template <typename T>
using Factory = std::function<std::unique_ptr<Optimizer<T>>()>;

// The cases of one optimizer and kind ("fixed_gradients" or "rosenbrock").
inline std::vector<json> reference_cases(const std::string& name, const std::string& kind) {
  static const json all = [] {
    std::ifstream in(std::string(DESCENT_TESTS_DIR) +
                     "/optim/reference/torch_momentum_family.json");
    EXPECT_TRUE(in) << "reference data missing";
    return in ? json::parse(in) : json::object({{"cases", json::array()}});
  }();
  std::vector<json> found;
  for (const auto& c : all.at("cases")) {
    if (c.at("name") == name && c.at("kind") == kind) found.push_back(c);
  }
  EXPECT_FALSE(found.empty()) << "no reference case " << name << "/" << kind;
  return found;
}

// A case's options, keyed by their command-line flags.
inline OptimizerOptions options_from(const json& o) {
  OptimizerOptions options;
  if (o.contains("momentum")) options.momentum = o.at("momentum").get<double>();
  if (o.contains("dampening")) options.dampening = o.at("dampening").get<double>();
  if (o.contains("momentum-convention")) {
    options.convention = o.at("momentum-convention").get<std::string>();
  }
  if (o.contains("decay-rate")) options.decay_rate = o.at("decay-rate").get<double>();
  if (o.contains("centered")) options.centered = o.at("centered").get<bool>();
  if (o.contains("eps")) options.eps = o.at("eps").get<double>();
  if (o.contains("weight-decay")) options.weight_decay = o.at("weight-decay").get<double>();
  if (o.contains("rho")) options.rho = o.at("rho").get<double>();
  return options;
}

template <typename T>
std::unique_ptr<Optimizer<T>> make_for_case(const json& c) {
  return make_optimizer<T>(c.at("name").get<std::string>(), options_from(c.at("options")));
}

// The largest |w - w_torch| along a fixed-gradient case, run in precision T
// against torch's double-precision trajectory.
template <typename T>
double fixed_gradient_deviation(const json& c) {
  const auto to_t = [](const json& values) {
    std::vector<T> out;
    for (const double v : values.get<std::vector<double>>()) out.push_back(static_cast<T>(v));
    return out;
  };
  std::vector<T> w = to_t(c.at("start"));
  auto optimizer = make_for_case<T>(c);
  const auto lrs = c.at("lrs").get<std::vector<double>>();
  double worst = 0;
  for (std::size_t t = 0; t < lrs.size(); ++t) {
    optimizer->step(w, to_t(c.at("grads")[t]), static_cast<T>(lrs[t]));
    const auto expected = c.at("trajectory")[t].get<std::vector<double>>();
    for (std::size_t i = 0; i < w.size(); ++i) {
      worst = std::max(worst, std::abs(static_cast<double>(w[i]) - expected[i]));
    }
  }
  return worst;
}

// Rosenbrock's function in n dimensions, and its gradient into g.
inline double rosenbrock(std::span<const double> x, std::span<double> g) {
  std::fill(g.begin(), g.end(), 0.0);
  double f = 0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    f += 100.0 * r * r + (1.0 - x[i]) * (1.0 - x[i]);
    g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    g[i + 1] += 200.0 * r;
  }
  return f;
}

// Rosenbrock's value after `steps` updates at a constant lr from (-1.2, 1).
inline double rosenbrock_after(Optimizer<double>& optimizer, double lr, int steps) {
  std::vector<double> x = {-1.2, 1.0}, g(2);
  for (int t = 0; t < steps; ++t) {
    rosenbrock(x, g);
    optimizer.step(x, g, lr);
  }
  return rosenbrock(x, g);
}

// The largest |x - x_torch| along a Rosenbrock case, in double precision.
inline double rosenbrock_deviation(const json& c) {
  auto x = c.at("start").get<std::vector<double>>();
  std::vector<double> g(x.size());
  auto optimizer = make_for_case<double>(c);
  const double lr = c.at("lr");
  double worst = 0;
  for (const auto& row : c.at("trajectory")) {
    rosenbrock(x, g);
    optimizer->step(x, g, lr);
    const auto expected = row.get<std::vector<double>>();
    for (std::size_t i = 0; i < x.size(); ++i)
      worst = std::max(worst, std::abs(x[i] - expected[i]));
  }
  return worst;
}

// Every fixed-gradient case of `name`, run in precision T, stays within
// `bound` of torch's double-precision trajectory; the largest deviation is
// recorded as a test property (see --gtest_output=xml).
template <typename T>
void expect_fixed_gradients_match_torch(const std::string& name, double bound) {
  double worst = 0;
  for (const auto& c : reference_cases(name, "fixed_gradients")) {
    const double deviation = fixed_gradient_deviation<T>(c);
    EXPECT_LT(deviation, bound) << c.at("label");
    worst = std::max(worst, deviation);
  }
  ::testing::Test::RecordProperty("max_deviation", shortest(worst));
}

inline void expect_rosenbrock_matches_torch(const std::string& name, double bound) {
  double worst = 0;
  for (const auto& c : reference_cases(name, "rosenbrock")) {
    const double deviation = rosenbrock_deviation(c);
    EXPECT_LT(deviation, bound) << c.at("label");
    worst = std::max(worst, deviation);
  }
  ::testing::Test::RecordProperty("max_deviation", shortest(worst));
}

// sum x^2 after `steps` updates from (1, -2, 3, -4, 5), with lr(t) for step t.
inline double sphere_after(Optimizer<double>& optimizer, int steps,
                           const std::function<double(int)>& lr) {
  std::vector<double> x = {1, -2, 3, -4, 5}, g(x.size());
  for (int t = 0; t < steps; ++t) {
    for (std::size_t i = 0; i < x.size(); ++i) g[i] = 2 * x[i];
    optimizer.step(x, g, lr(t));
  }
  double f = 0;
  for (const double v : x) f += v * v;
  return f;
}

// Two uninterrupted steps equal, bit for bit, one step, save, load into a new
// optimizer, one step; and differ from continuing with a fresh optimizer.
template <typename T>
void expect_resume_matches_uninterrupted(const Factory<T>& make) {
  const std::vector<T> start = {T(0.5), T(-1.25), T(2), T(-0.125), T(0.75), T(3)};
  const std::vector<T> g1 = {T(0.3), T(-0.7), T(1.1), T(0.05), T(-2), T(0.4)};
  const std::vector<T> g2 = {T(-0.2), T(0.9), T(0.6), T(-1.5), T(0.8), T(-0.1)};
  const T lr1 = T(0.1), lr2 = T(0.03);

  std::vector<T> uninterrupted = start;
  auto a = make();
  a->step(uninterrupted, g1, lr1);
  a->step(uninterrupted, g2, lr2);

  std::vector<T> resumed = start;
  auto b = make();
  b->step(resumed, g1, lr1);
  const std::vector<T> after_one = resumed;
  ByteWriter out;
  b->save(out);
  auto c = make();
  ByteReader in(out.bytes(), "state");
  c->load(in);
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(c->steps(), 1);
  c->step(resumed, g2, lr2);
  EXPECT_EQ(std::memcmp(resumed.data(), uninterrupted.data(), resumed.size() * sizeof(T)), 0);

  std::vector<T> fresh = after_one;
  make()->step(fresh, g2, lr2);
  EXPECT_NE(fresh, uninterrupted) << "a fresh optimizer should not continue the same way";
}

// A buffer large enough to run on several threads gives the same bits at one
// and at two threads.
template <typename T>
void expect_same_at_one_and_two_threads(const Factory<T>& make) {
  const std::size_t n = 2 * 65536 + 3;
  std::vector<T> start(n);
  std::vector<std::vector<T>> grads(3, std::vector<T>(n));
  for (std::size_t i = 0; i < n; ++i) {
    start[i] = static_cast<T>(std::sin(0.001 * static_cast<double>(i)));
    for (std::size_t t = 0; t < grads.size(); ++t) {
      grads[t][i] =
          static_cast<T>(std::cos(0.37 * static_cast<double>(i) + static_cast<double>(t)));
    }
  }
  const int threads_before = omp_get_max_threads();
  const auto run = [&](int threads) {
    omp_set_num_threads(threads);
    std::vector<T> w = start;
    auto optimizer = make();
    for (std::size_t t = 0; t < grads.size(); ++t) {
      optimizer->step(w, grads[t], static_cast<T>(0.01 * static_cast<double>(t + 1)));
    }
    return w;
  };
  const std::vector<T> one = run(1);
  const std::vector<T> two = run(2);
  omp_set_num_threads(threads_before);
  EXPECT_EQ(std::memcmp(one.data(), two.data(), n * sizeof(T)), 0);
  EXPECT_NE(one, start);
}

// `make` throws a ConfigError whose message starts with `field`.
inline void expect_config_error(const std::function<void()>& make, const std::string& field) {
  try {
    make();
    ADD_FAILURE() << "no ConfigError for " << field;
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(field + ":", 0), 0u) << e.what();
  }
}

}  // namespace descent::momentum_family

// What the optimizer tests share: the PyTorch reference cases of the adam
// family (reference/make_adam_family.py) and the momentum family
// (reference/make_momentum_family.py), Rosenbrock and the sphere, and the
// checks every optimizer gets: resuming from saved state, the same bits at one
// and two threads, errors that name the field.
#pragma once

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/registry.hpp"

namespace descent::optim_testing {

using nlohmann::json;

template <typename T>
using Factory = std::function<std::unique_ptr<Optimizer<T>>()>;

// Tolerance of the adam family against torch in double: a few hundred ulps of
// |w| ~ 1 after 40 to 200 steps, yet far below any difference between
// conventions.
inline constexpr double kDoubleTolerance = 1e-10;

// The momentum family's bound on |w - w_torch| in double precision. Values are
// O(1), so it is also a relative bound; each step differs from torch's only in
// the order of roundings (~1e-16), and the largest deviation measured over all
// cases, 200 Rosenbrock steps included, is 3e-15. A formula difference is far
// larger: eps = 1e-8 moved inside the root changes a step of size lr by
// ~5e-10 * lr.
inline constexpr double kDoubleBound = 1e-12;

// The cases of `name` and `kind` in reference/`file`.
inline std::vector<json> reference_cases(const std::string& file, const std::string& name,
                                         const std::string& kind) {
  static std::map<std::string, json> loaded;
  auto [all, first_use] = loaded.try_emplace(file);
  if (first_use) {
    std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/optim/reference/" + file);
    EXPECT_TRUE(in) << "reference data missing";
    all->second = in ? json::parse(in) : json::object({{"cases", json::array()}});
  }
  std::vector<json> found;
  for (const auto& c : all->second.at("cases")) {
    if (c.at("name") == name && c.at("kind") == kind) found.push_back(c);
  }
  EXPECT_FALSE(found.empty()) << "no reference case " << name << "/" << kind;
  return found;
}

// The adam family's case of `name` ("adam", ...) and `kind` ("fixed_gradients",
// "fixed_gradients_other", "tiny_gradients", "rosenbrock").
inline json reference_case(const std::string& name, const std::string& kind) {
  const auto found = reference_cases("torch_adam_family.json", name, kind);
  return found.empty() ? json::object() : found.front();
}

// A case's options: the adam family's "config", or the momentum family's
// "options" keyed by their command-line flags.
inline OptimizerOptions options_from(const json& c) {
  OptimizerOptions options;
  if (c.contains("config")) {
    const json& config = c.at("config");
    options["beta1"] = config.at("beta1").get<double>();
    options["beta2"] = config.at("beta2").get<double>();
    options["eps"] = config.at("eps").get<double>();
    options["weight-decay"] = config.at("weight_decay").get<double>();
    if (config.contains("momentum_decay")) {
      options["momentum-decay"] = config.at("momentum_decay").get<double>();
    }
    return options;
  }
  const json& o = c.at("options");
  for (const char* key : {"momentum", "dampening", "decay-rate", "eps", "weight-decay", "rho"}) {
    if (o.contains(key)) options[key] = o.at(key).get<double>();
  }
  if (o.contains("momentum-convention")) {
    options["momentum-convention"] = o.at("momentum-convention").get<std::string>();
  }
  if (o.contains("centered")) options["centered"] = o.at("centered").get<bool>();
  return options;
}

template <typename T>
std::vector<T> to_vector(const json& values) {
  std::vector<T> out;
  for (const double v : values.get<std::vector<double>>()) out.push_back(static_cast<T>(v));
  return out;
}

// The largest |w - w_torch| along a fixed-gradient case, run by optimizer
// `name` in precision T against torch's double-precision trajectory.
template <typename T>
double fixed_gradient_deviation(const std::string& name, const json& c) {
  std::vector<T> w = to_vector<T>(c.at("start"));
  auto optimizer = make_optimizer<T>(name, options_from(c));
  const auto lrs = c.at("lrs").get<std::vector<double>>();
  double worst = 0;
  for (std::size_t t = 0; t < lrs.size(); ++t) {
    optimizer->step(w, to_vector<T>(c.at("grads")[t]), static_cast<T>(lrs[t]));
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

// The largest |x - x_torch| along a Rosenbrock case, run by optimizer `name`
// in double precision.
inline double rosenbrock_deviation(const std::string& name, const json& c) {
  auto x = c.at("start").get<std::vector<double>>();
  std::vector<double> g(x.size());
  auto optimizer = make_optimizer<double>(name, options_from(c));
  const double lr = c.at("lr");
  double worst = 0;
  for (const auto& row : c.at("trajectory")) {
    rosenbrock(x, g);
    optimizer->step(x, g, lr);
    const auto expected = row.get<std::vector<double>>();
    for (std::size_t i = 0; i < x.size(); ++i) {
      worst = std::max(worst, std::abs(x[i] - expected[i]));
    }
  }
  return worst;
}

// How far a float run of the adam family may drift from torch's double
// trajectory. Each step rounds w once (half an ulp, <= 2^-24 |w|) and computes
// the step dw_t from m, v, dw and lr, each within a few ulps of exact, to a
// relative error of at most ~16 * 2^-24 (a handful of operations, each
// rounding once, and the inputs' own rounding to float). These optimizers do
// not amplify errors in w (w enters a step only through a small weight decay,
// and the step is bounded by about lr), so the errors add up over the steps:
//   bound = steps * 2^-24 * (max |w| + 16 * max |dw_t|)
// read off the reference trajectory itself.
inline double float_bound(const json& c) {
  const auto start = c.at("start").get<std::vector<double>>();
  double max_w = 0, max_step = 0;
  std::vector<double> previous = start;
  for (const auto& row : c.at("trajectory")) {
    const auto w = row.get<std::vector<double>>();
    for (std::size_t i = 0; i < w.size(); ++i) {
      max_w = std::max(max_w, std::abs(w[i]));
      max_step = std::max(max_step, std::abs(w[i] - previous[i]));
    }
    previous = w;
  }
  const double steps = static_cast<double>(c.at("trajectory").size());
  return steps * std::ldexp(1.0, -24) * (max_w + 16 * max_step);
}

// Every torch comparison of one optimizer of the adam family: the three
// fixed-gradient cases in double (to kDoubleTolerance) and in float (to
// float_bound), and Rosenbrock in double. Float is not run on Rosenbrock: its
// trajectory feeds w back into the gradient, and 200 steps along the curved
// valley amplify rounding.
inline void expect_matches_torch(const std::string& name) {
  const auto record = [](const std::string& key, double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    ::testing::Test::RecordProperty(key, text);
  };
  for (const std::string kind : {"fixed_gradients", "fixed_gradients_other", "tiny_gradients"}) {
    const json c = reference_case(name, kind);
    const double in_double = fixed_gradient_deviation<double>(name, c);
    const double in_float = fixed_gradient_deviation<float>(name, c);
    EXPECT_LE(in_double, kDoubleTolerance) << name << "/" << kind;
    EXPECT_LE(in_float, float_bound(c)) << name << "/" << kind;
    record(kind + "_double", in_double);
    record(kind + "_float", in_float);
    record(kind + "_float_bound", float_bound(c));
  }
  const double on_rosenbrock = rosenbrock_deviation(name, reference_case(name, "rosenbrock"));
  EXPECT_LE(on_rosenbrock, kDoubleTolerance) << name << "/rosenbrock";
  record("rosenbrock_double", on_rosenbrock);
}

// Every case of `kind` of `name` in the momentum family's reference data,
// measured by `deviation`, stays below `bound`; the largest deviation is
// recorded as a test property (see --gtest_output=xml).
inline void expect_momentum_family_cases_within(
    const std::string& name, const std::string& kind, double bound,
    const std::function<double(const std::string&, const json&)>& deviation) {
  double worst = 0;
  for (const auto& c : reference_cases("torch_momentum_family.json", name, kind)) {
    const double d = deviation(c.at("name").get<std::string>(), c);
    EXPECT_LT(d, bound) << c.at("label");
    worst = std::max(worst, d);
  }
  ::testing::Test::RecordProperty("max_deviation", shortest(worst));
}

// Every fixed-gradient case of `name` in the momentum family, run in precision
// T, stays within `bound` of torch's double-precision trajectory.
template <typename T>
void expect_fixed_gradients_match_torch(const std::string& name, double bound) {
  expect_momentum_family_cases_within(name, "fixed_gradients", bound, fixed_gradient_deviation<T>);
}

inline void expect_rosenbrock_matches_torch(const std::string& name, double bound) {
  expect_momentum_family_cases_within(name, "rosenbrock", bound, rosenbrock_deviation);
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

// The same at lr(t) = lr0 * decay^t, multiplied out step by step: adaptive
// steps have size about lr whatever the gradient, so a constant lr ends in a
// cycle of that size around the minimum; a decaying one converges.
inline double sphere_after(Optimizer<double>& optimizer, int steps, double lr0, double decay) {
  double lr = lr0;
  return sphere_after(optimizer, steps, [&](int) { return std::exchange(lr, lr * decay); });
}

// Two uninterrupted steps equal, bit for bit, one step, save, load into a new
// optimizer, one step; and differ from continuing with a fresh optimizer.
// g2[4] is `g2_4`: by default small and against g1[4], so that Lion's sign
// differs with and without m.
template <typename T>
void expect_resume_matches_uninterrupted(const Factory<T>& make, double g2_4 = 0.1) {
  const std::vector<T> start = {T(0.5), T(-1.25), T(2), T(-0.125), T(0.75), T(3)};
  const std::vector<T> g1 = {T(0.3), T(-0.7), T(1.1), T(0.05), T(-2), T(0.4)};
  const std::vector<T> g2 = {T(-0.2), T(0.9), T(0.6), T(-1.5), T(g2_4), T(-0.1)};
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

enum class Groups { one, two };

// A buffer large enough to run on several threads, in one parameter group or
// in two (other lr scale and weight decay in the second) of more than 65536
// each, gives the same bits at one and at two threads after `steps` steps.
template <typename T>
void expect_same_at_one_and_two_threads(const Factory<T>& make, Groups groups, int steps = 3) {
  const std::size_t n = 2 * 65536 + 3;
  std::vector<T> start(n), g(n);
  for (std::size_t i = 0; i < n; ++i) {
    start[i] = static_cast<T>(std::sin(0.001 * static_cast<double>(i)));
  }
  const int threads_before = omp_get_max_threads();
  const auto run = [&](int threads) {
    omp_set_num_threads(threads);
    std::vector<T> w = start;
    auto optimizer = make();
    if (groups == Groups::two) {
      optimizer->set_groups({{0, n / 2, 1.0, std::nullopt}, {n / 2, n, 0.5, 0.01}});
    }
    for (int t = 0; t < steps; ++t) {
      for (std::size_t i = 0; i < n; ++i) {
        g[i] = static_cast<T>(std::cos(0.37 * static_cast<double>(i) + t));
      }
      optimizer->step(w, g, static_cast<T>(0.01 * (t + 1)));
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

// The hyperparameters every optimizer of the adam family has, each out of
// range, and an option it lacks through make_optimizer.
template <typename Config, template <typename> class Opt>
void expect_bad_hyperparameters_rejected(const std::string& name, const std::string& lacking) {
  const auto with = [](auto set) {
    return [set] {
      Config c;
      set(c);
      Opt<double> optimizer(c);
    };
  };
  expect_config_error(with([](Config& c) { c.beta1 = 1.0; }), "beta1");
  expect_config_error(with([](Config& c) { c.beta1 = -0.1; }), "beta1");
  expect_config_error(with([](Config& c) { c.beta2 = 1.5; }), "beta2");
  expect_config_error(with([](Config& c) { c.beta2 = std::nan(""); }), "beta2");
  expect_config_error(with([](Config& c) { c.weight_decay = -1e-3; }), "weight-decay");
  expect_config_error(
      with([](Config& c) { c.weight_decay = std::numeric_limits<double>::infinity(); }),
      "weight-decay");
  if constexpr (requires(Config c) { c.eps; }) {
    expect_config_error(with([](Config& c) { c.eps = 0; }), "eps");
    expect_config_error(with([](Config& c) { c.eps = -1e-8; }), "eps");
  }
  OptimizerOptions options;
  if (lacking == "momentum") options["momentum"] = 0.9;
  if (lacking == "eps") options["eps"] = 1e-8;
  if (lacking == "momentum-decay") options["momentum-decay"] = 4e-3;
  expect_config_error([&] { make_optimizer<float>(name, options); }, lacking);
  OptimizerOptions bad_beta;
  bad_beta["beta1"] = 1.0;
  expect_config_error([&] { make_optimizer<double>(name, bad_beta); }, "beta1");
}

}  // namespace descent::optim_testing

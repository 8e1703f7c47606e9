// The Sum of Functions Optimizer's interface: its config's checks, memory,
// the saved state, reproducibility, the selection rules, no allocation in a
// step, and the float model adapter.
#include "descent/optim/sfo.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/optim/logistic_sum.hpp"
#include "descent/optim/power_sum.hpp"
#include "sfo_testing.hpp"
#include "support/allocation_counter.hpp"


namespace descent {
namespace {

using namespace sfo_testing;

std::string config_error(const SfoConfig& config) {
  try {
    config.validate();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(SfoConfig, DefaultsAreTheReferences) {
  const SfoConfig config;
  EXPECT_EQ(config.history, 10u);
  EXPECT_EQ(config.hessian_init, 1e5);
  EXPECT_EQ(config.initial_active, 2u);
  EXPECT_EQ(config.max_hessian_deviation, 1e8);
  EXPECT_EQ(config.hessian_update, SfoHessianUpdate::bfgs);
  EXPECT_EQ(config.selection, SfoSelection::distance_both);
  EXPECT_EQ(config.max_gradient_noise, 1.0);
  EXPECT_EQ(config.max_step_length_ratio, 10.0);
  EXPECT_EQ(config.minimum_step_length, 1e-8);
  EXPECT_FALSE(config.deterministic);
  EXPECT_NO_THROW(config.validate());
}

TEST(SfoConfig, ValidateNamesTheField) {
  const auto named = [](auto change, const std::string& field) {
    SfoConfig config;
    change(config);
    const std::string message = config_error(config);
    EXPECT_EQ(message.rfind(field + ":", 0), 0u) << message;
  };
  named([](SfoConfig& c) { c.history = 0; }, "history");
  named([](SfoConfig& c) { c.history = kSfoMaxHistory + 1; }, "history");
  named([](SfoConfig& c) { c.hessian_init = 0; }, "hessian-init");
  named([](SfoConfig& c) { c.hessian_init = std::nan(""); }, "hessian-init");
  named([](SfoConfig& c) { c.initial_active = 0; }, "initial-active");
  named([](SfoConfig& c) { c.max_hessian_deviation = 1; }, "max-hessian-deviation");
  named([](SfoConfig& c) { c.max_gradient_noise = -1; }, "max-gradient-noise");
  named([](SfoConfig& c) { c.max_step_length_ratio = 0; }, "max-step-ratio");
  named([](SfoConfig& c) { c.minimum_step_length = -1e-8; }, "min-step");
  named([](SfoConfig& c) { c.max_memory_bytes = 0; }, "max-memory");
}

TEST(SfoConfig, NamesOfRulesAndUpdates) {
  for (const auto selection :
       {SfoSelection::distance_both, SfoSelection::distance, SfoSelection::single_distance,
        SfoSelection::random, SfoSelection::cyclic}) {
    EXPECT_EQ(sfo_selection(to_string(selection)), selection);
  }
  EXPECT_EQ(sfo_hessian_update("rank1"), SfoHessianUpdate::rank1);
  EXPECT_EQ(sfo_hessian_update(to_string(SfoHessianUpdate::bfgs)), SfoHessianUpdate::bfgs);
  try {
    sfo_selection("farthest");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("selection: expected one of distance-both", 0), 0u);
  }
  EXPECT_THROW(sfo_hessian_update("lbfgs"), ConfigError);
}

TEST(Sfo, RefusesBadStarts) {
  EXPECT_THROW(Sfo({}, 3), ConfigError);
  const std::vector<double> x0 = {1, 2};
  EXPECT_THROW(Sfo(x0, 0), ConfigError);
  const std::vector<double> bad = {1, std::nan("")};
  try {
    Sfo sfo(bad, 3);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "x0: coordinate 1 is not finite");
  }
  LogisticSum problem;  // M = 50, N = 20
  Sfo sfo(std::vector<double>(50, 0.0), 19);
  EXPECT_THROW(sfo.step(problem), ShapeError);
}

// What the constructor holds is what memory_bytes(M, N, config) predicts,
// and it scales as SFO's analysis says: 8 M K_max for P, and per
// subfunction only arrays of the subspace's size.
TEST(Sfo, MemoryIsWhatItPredicts) {
  for (const auto& [dim, n] :
       {std::pair<std::size_t, std::size_t>{50, 20}, {200, 20}, {1000, 25}, {3, 10}}) {
    const Sfo sfo(std::vector<double>(dim, 1.0), n);
    EXPECT_EQ(sfo.memory_bytes(), Sfo::memory_bytes(dim, n, SfoConfig{})) << dim << " x " << n;
  }
  // M = 1e5, N = 25: P is 8 M K_max = 62.4 MB; all of it within 70 MB.
  const std::size_t big = Sfo::memory_bytes(100000, 25, SfoConfig{});
  EXPECT_GE(big, std::size_t{62400000});
  EXPECT_LE(big, std::size_t{70000000});
  // Doubling M adds P's share and a few buffers of length M (K_max = 78).
  const double per_parameter =
      static_cast<double>(Sfo::memory_bytes(200000, 25, SfoConfig{}) - big) / 100000.0;
  EXPECT_GE(per_parameter, 8.0 * 78);
  EXPECT_LE(per_parameter, 8.0 * (78 + 8));
}

TEST(Sfo, MemoryBoundRefusesLargerProblems) {
  SfoConfig config;
  config.max_memory_bytes = 50000000;
  try {
    Sfo sfo(std::vector<double>(100000, 0.0), 25, config);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos);
    EXPECT_NE(message.find("M = 100000"), std::string::npos) << message;
    EXPECT_NE(message.find("N = 25"), std::string::npos) << message;
    EXPECT_NE(message.find("L = 10"), std::string::npos) << message;
    EXPECT_EQ(message.rfind("max-memory:", 0), 0u) << message;
  }
  config.max_memory_bytes = Sfo::memory_bytes(1000, 25, config);
  EXPECT_NO_THROW(Sfo(std::vector<double>(1000, 0.0), 25, config));
}

// Step counts, passes and the report of a rejected step.
TEST(Sfo, CountsEvaluationsAndPasses) {
  LogisticSum problem;
  Sfo sfo(problem.start(), 20, SfoConfig::reference_deterministic(20));
  Recorder recorder(problem);
  std::uint64_t reported = 0;
  bool saw_rejection = false;
  while (sfo.passes() < 3) {
    const SfoStepReport report = sfo.step(recorder);
    reported += report.evaluations;
    EXPECT_EQ(recorder.indices[reported - report.evaluations], report.subfunction);
    if (report.rejected) {
      saw_rejection = true;
      EXPECT_GE(report.evaluations, 2u);  // the previous point is evaluated again
    } else {
      EXPECT_EQ(report.evaluations, 1u);
    }
  }
  EXPECT_TRUE(saw_rejection);
  EXPECT_EQ(reported, sfo.evaluations());
  EXPECT_EQ(recorder.indices.size(), sfo.evaluations());
  EXPECT_DOUBLE_EQ(sfo.passes(), static_cast<double>(sfo.evaluations()) / 20.0);
}

std::vector<double> run_steps(Sfo& sfo, SumOfFunctions& problem, std::size_t steps) {
  for (std::size_t t = 0; t < steps; ++t) sfo.step(problem);
  return {sfo.x().begin(), sfo.x().end()};
}

std::string saved(const Sfo& sfo) {
  ByteWriter out;
  sfo.save(out);
  return out.take();
}

LogisticSum d200() {
  LogisticSumConfig config;
  config.dim = 200;
  return LogisticSum(config);
}

// Two steps in a row equal a step, save, load into a fresh optimizer (of
// another seed: the generator's state is in the save), a step; and both
// differ from a fresh optimizer stepping from the same point.
TEST(Sfo, ResumesBitForBit) {
  LogisticSum problem = d200();
  Sfo straight(problem.start(), 20, SfoConfig{}, 4);
  Sfo first(problem.start(), 20, SfoConfig{}, 4);
  const std::size_t steps = 123;  // past collapses, rejections and growth of the active set
  run_steps(straight, problem, steps + 1);
  run_steps(first, problem, steps);
  const std::string bytes = saved(first);
  Sfo resumed(problem.start(), 20, SfoConfig{}, 99);
  ByteReader in(bytes, "test");
  resumed.load(in);
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(saved(resumed), bytes);
  run_steps(resumed, problem, 1);
  EXPECT_EQ(std::vector<double>(resumed.x().begin(), resumed.x().end()),
            std::vector<double>(straight.x().begin(), straight.x().end()));
  EXPECT_EQ(saved(resumed), saved(straight));

  Sfo fresh(first.x(), 20, SfoConfig{}, 4);
  run_steps(fresh, problem, 1);
  EXPECT_NE(std::vector<double>(fresh.x().begin(), fresh.x().end()),
            std::vector<double>(straight.x().begin(), straight.x().end()));
}

// 5 passes, save, load, 5 passes = 10 passes straight.
TEST(Sfo, ResumedRunMatchesAStraightOne) {
  LogisticSum problem = d200();
  Sfo straight(problem.start(), 20, SfoConfig{}, 2);
  while (straight.passes() < 10) straight.step(problem);
  Sfo before(problem.start(), 20, SfoConfig{}, 2);
  while (before.passes() < 5) before.step(problem);
  const std::string bytes = saved(before);
  Sfo after(problem.start(), 20, SfoConfig{}, 2);
  ByteReader in(bytes, "test");
  after.load(in);
  while (after.passes() < 10) after.step(problem);
  EXPECT_EQ(after.steps(), straight.steps());
  EXPECT_EQ(saved(after), saved(straight));
}

TEST(Sfo, LoadRefusesAnotherShape) {
  LogisticSum problem;
  Sfo sfo(problem.start(), 20);
  run_steps(sfo, problem, 5);
  const std::string bytes = saved(sfo);
  Sfo other(problem.start(), 21);
  ByteReader in(bytes, "state.bin");
  try {
    other.load(in);
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("sfo N"), std::string::npos) << e.what();
  }
  Sfo same(problem.start(), 20);
  ByteReader truncated(std::string_view(bytes).substr(0, bytes.size() / 2), "state.bin");
  EXPECT_THROW(same.load(truncated), FormatError);
}

// The same seed gives the same bits; another seed another run; and the
// reference's deterministic configuration does not depend on the seed.
TEST(Sfo, SeedsAndDeterminism) {
  LogisticSum problem = d200();
  Sfo a(problem.start(), 20, SfoConfig{}, 1), b(problem.start(), 20, SfoConfig{}, 1);
  Sfo c(problem.start(), 20, SfoConfig{}, 2);
  EXPECT_EQ(run_steps(a, problem, 100), run_steps(b, problem, 100));
  EXPECT_NE(run_steps(c, problem, 100), run_steps(a, problem, 0));
  const SfoConfig config = SfoConfig::reference_deterministic(20);
  Sfo d(problem.start(), 20, config, 1), e(problem.start(), 20, config, 12345);
  EXPECT_EQ(run_steps(d, problem, 100), run_steps(e, problem, 100));
}

// 'cyclic' with every subfunction active: once each has had its two first
// evaluations, the subfunctions in index order, round and round.
TEST(Sfo, CyclicSelectionGoesRoundInOrder) {
  LogisticSum problem;
  SfoConfig config = SfoConfig::reference_deterministic(20);
  config.selection = SfoSelection::cyclic;
  Sfo sfo(problem.start(), 20, config);
  std::vector<std::size_t> cyclic;
  for (int t = 0; t < 100; ++t) {
    bool all_twice = true;
    for (const std::uint64_t e : sfo.state().evals) all_twice = all_twice && e >= 2;
    const std::size_t j = sfo.step(problem).subfunction;
    if (all_twice) cyclic.push_back(j);
  }
  ASSERT_GT(cyclic.size(), 40u);
  for (std::size_t t = 0; t < cyclic.size(); ++t) EXPECT_EQ(cyclic[t], t % 20) << "step " << t;
}

// Every selection rule, and the rank-1 update, minimize logistic regression:
// each reaches within 1e-4 of F* in 30 passes (the default in ~10 to 15).
TEST(Sfo, EveryRuleConverges) {
  LogisticSum problem;
  const double f_star = reference("logreg")["meta"]["F_star"];
  const auto converges = [&](SfoSelection selection, SfoHessianUpdate update) {
    SfoConfig config;
    config.selection = selection;
    config.hessian_update = update;
    Sfo sfo(problem.start(), 20, config, 3);
    while (sfo.passes() < 30) sfo.step(problem);
    EXPECT_LE(full_value(problem, sfo.x()) - f_star, 1e-4)
        << to_string(selection) << ", " << to_string(update);
  };
  for (const auto selection :
       {SfoSelection::distance_both, SfoSelection::distance, SfoSelection::single_distance,
        SfoSelection::random, SfoSelection::cyclic}) {
    converges(selection, SfoHessianUpdate::bfgs);
  }
  converges(SfoSelection::distance_both, SfoHessianUpdate::rank1);
}

#if DESCENT_COUNTS_ALLOCATIONS
std::size_t mallocs_during(const std::function<void()>& work) {
  const test::CountAllocations counter;
  work();
  return counter.count();
}

// After the first step, step() calls malloc no more: subspace growth and
// collapses, rejections, the growth of the active set, every selection rule.
TEST(Sfo, StepsDoNotAllocate) {
  LogisticSum problem = d200();
  for (const auto selection :
       {SfoSelection::distance_both, SfoSelection::random, SfoSelection::cyclic}) {
    SfoConfig config;
    config.selection = selection;
    Sfo sfo(problem.start(), 20, config, 5);
    sfo.step(problem);
    const std::uint64_t before = sfo.rejections(), collapses = sfo.state().collapses;
    EXPECT_EQ(mallocs_during([&] {
                for (int t = 0; t < 300; ++t) sfo.step(problem);
              }),
              0u)
        << to_string(selection);
    EXPECT_GT(sfo.rejections(), before);
    EXPECT_GT(sfo.state().collapses, collapses);
  }
  PowerSum toy(3000, 40, 1);
  Sfo sfo(toy.start(), 40);
  sfo.step(toy);
  EXPECT_EQ(mallocs_during([&] {
              for (int t = 0; t < 100; ++t) sfo.step(toy);
            }),
            0u);
}
#endif

// The buffers are made once: their addresses do not change in a run (the
// check that also holds under AddressSanitizer, where mallocs are not counted).
TEST(Sfo, BuffersAreMadeOnce) {
  LogisticSum problem = d200();
  Sfo sfo(problem.start(), 20, SfoConfig{}, 6);
  const SfoState& s = sfo.state();
  const std::vector<const double*> before = {s.basis.data(),  s.x.data(),
                                             s.last_x.data(), s.delta_x.data(),
                                             s.factor.data(), s.hessian_sum.data()};
  const std::size_t bytes = sfo.memory_bytes();
  run_steps(sfo, problem, 500);
  EXPECT_EQ((std::vector<const double*>{s.basis.data(), s.x.data(), s.last_x.data(),
                                        s.delta_x.data(), s.factor.data(), s.hessian_sum.data()}),
            before);
  EXPECT_EQ(sfo.memory_bytes(), bytes);
}

// A float model: FloatModelSum rounds x into the model's parameters, the
// minibatch loss fills the model's gradient, and SFO minimizes the float
// least squares f_i(w) = 1/2 sum_{j in batch i} (a_j . w - b_j)^2, with
// b_j = a_j . (1, -2, 0.5, 3) + 0.01 sin(j), to within float rounding.
TEST(FloatModelSum, AdaptsAFloatModel) {
  const std::size_t dim = 4, points = 40, batches = 8;
  const float truth[] = {1.0f, -2.0f, 0.5f, 3.0f};
  std::vector<float> a(points * dim), b(points);
  for (std::size_t j = 0; j < points; ++j) {
    b[j] = 0.01f * std::sin(static_cast<float>(j));
    for (std::size_t m = 0; m < dim; ++m) {
      a[j * dim + m] = std::sin(static_cast<float>((m + 1) * j + m));
      b[j] += a[j * dim + m] * truth[m];
    }
  }
  std::vector<float> params(dim, 0.0f), grads(dim, 0.0f);
  std::size_t calls = 0;
  FloatModelSum model(params, grads, batches, [&](std::size_t i) {
    ++calls;
    double loss = 0;
    std::fill(grads.begin(), grads.end(), 0.0f);
    for (std::size_t j = i; j < points; j += batches) {
      float r = -b[j];
      for (std::size_t m = 0; m < dim; ++m) r += a[j * dim + m] * params[m];
      loss += 0.5 * r * r;
      for (std::size_t m = 0; m < dim; ++m) grads[m] += r * a[j * dim + m];
    }
    return loss;
  });
  EXPECT_EQ(model.dim(), dim);
  EXPECT_EQ(model.subfunctions(), batches);
  const std::vector<double> x = {0.5, -0.25, 1.0 / 3.0, 2.0};
  std::vector<double> gradient(dim);
  const double loss = model.evaluate(0, x, gradient);
  EXPECT_EQ(params[2], static_cast<float>(1.0 / 3.0));
  EXPECT_EQ(gradient[1], static_cast<double>(grads[1]));
  EXPECT_GT(loss, 0);
  EXPECT_EQ(calls, 1u);

  Sfo sfo(std::vector<double>(dim, 0.0), batches);
  const double start = full_value(model, sfo.x());
  while (sfo.passes() < 30) sfo.step(model);
  EXPECT_LT(full_value(model, sfo.x()), 1e-3) << "from " << start;
  for (std::size_t m = 0; m < dim; ++m) EXPECT_NEAR(sfo.x()[m], truth[m], 0.01);
  EXPECT_THROW(FloatModelSum(params, std::span<const float>(grads).first(3), 2, {}), ShapeError);
}

}  // namespace
}  // namespace descent

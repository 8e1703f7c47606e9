#include "descent/optim/sgd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/optim/registry.hpp"

namespace descent {
namespace {

nlohmann::json reference_case(const std::string& name, const std::string& kind) {
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/optim/reference/torch_optim.json");
  EXPECT_TRUE(in) << "reference data missing";
  const auto all = nlohmann::json::parse(in);
  for (const auto& c : all.at("cases")) {
    if (c.at("name") == name && c.at("kind") == kind) return c;
  }
  ADD_FAILURE() << "no reference case " << name << "/" << kind;
  return {};
}

void rosenbrock_gradient(const std::vector<double>& x, std::vector<double>& g) {
  std::fill(g.begin(), g.end(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    g[i + 1] += 200.0 * r;
  }
}

// Against torch.optim.SGD on fixed gradients with a changing learning rate.
TEST(Sgd, MatchesTorchOnFixedGradientsInDouble) {
  const auto ref = reference_case("sgd", "fixed_gradients");
  auto w = ref.at("start").get<std::vector<double>>();
  Sgd<double> sgd;
  const auto lrs = ref.at("lrs").get<std::vector<double>>();
  for (std::size_t t = 0; t < lrs.size(); ++t) {
    const auto g = ref.at("grads")[t].get<std::vector<double>>();
    sgd.step(w, g, lrs[t]);
    const auto expected = ref.at("trajectory")[t].get<std::vector<double>>();
    for (std::size_t i = 0; i < w.size(); ++i)
      EXPECT_NEAR(w[i], expected[i], 1e-12) << t << "," << i;
  }
}

TEST(Sgd, MatchesTorchOnRosenbrockInDouble) {
  const auto ref = reference_case("sgd", "rosenbrock");
  auto x = ref.at("start").get<std::vector<double>>();
  std::vector<double> g(x.size());
  Sgd<double> sgd;
  const double lr = ref.at("lr");
  for (const auto& row : ref.at("trajectory")) {
    rosenbrock_gradient(x, g);
    sgd.step(x, g, lr);
    const auto expected = row.get<std::vector<double>>();
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], expected[i], 1e-10);
  }
}

// By hand: w = 1, g = 2, lr = 0.25 gives 0.5; then g = -4, lr = 0.1 gives 0.9.
TEST(Sgd, HandDerivedSteps) {
  std::vector<float> w = {1.0f};
  Sgd<float> sgd;
  sgd.step(w, std::vector<float>{2.0f}, 0.25f);
  EXPECT_FLOAT_EQ(w[0], 0.5f);
  sgd.step(w, std::vector<float>{-4.0f}, 0.1f);
  EXPECT_FLOAT_EQ(w[0], 0.9f);
  EXPECT_EQ(sgd.steps(), 2);
}

// Large buffers run multi-threaded; the result must not depend on the threads.
TEST(Sgd, LargeBufferEqualsElementwiseFormula) {
  const std::size_t n = 1 << 20;
  std::vector<float> w(n), g(n), expected(n);
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = std::sin(static_cast<float>(i));
    g[i] = std::cos(static_cast<float>(i) * 0.5f);
    expected[i] = w[i] - 0.01f * g[i];
  }
  Sgd<float> sgd;
  sgd.step(w, g, 0.01f);
  EXPECT_EQ(w, expected);
}

TEST(Sgd, SaveLoadRoundTripKeepsTheStepCount) {
  Sgd<float> a;
  std::vector<float> w = {1.0f, 2.0f};
  a.step(w, std::vector<float>{1.0f, 1.0f}, 0.1f);
  ByteWriter out;
  a.save(out);
  Sgd<float> b;
  ByteReader in(out.bytes(), "state");
  b.load(in);
  EXPECT_EQ(b.steps(), 1);
  EXPECT_TRUE(in.at_end());
}

TEST(Optimizer, RejectsMismatchedBuffersAndBadLearningRates) {
  Sgd<float> sgd;
  std::vector<float> w(3), g(4);
  EXPECT_THROW(sgd.step(w, g, 0.1f), ShapeError);
  std::vector<float> g3(3);
  EXPECT_THROW(sgd.step(w, g3, -0.1f), ConfigError);
  EXPECT_THROW(sgd.step(w, g3, std::nanf("")), ConfigError);
  sgd.step(w, g3, 0.1f);
  std::vector<float> w5(5), g5(5);
  EXPECT_THROW(sgd.step(w5, g5, 0.1f), ShapeError);
}

TEST(Registry, KnowsSgdAndNamesTheChoicesForUnknownNames) {
  EXPECT_EQ(make_optimizer<float>("sgd")->name(), "sgd");
  EXPECT_DOUBLE_EQ(default_learning_rate("sgd"), 5e-3);
  try {
    make_optimizer<float>("adamz");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("adamz"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("sgd"), std::string::npos);
  }
}

TEST(Optimizer, LoadRefusesStateOfAnotherOptimizer) {
  ByteWriter out;
  out.put_string("adam");
  out.put<std::int64_t>(3);
  out.put<std::uint64_t>(2);
  Sgd<float> sgd;
  ByteReader in(out.bytes(), "state");
  EXPECT_THROW(sgd.load(in), FormatError);
}

}  // namespace
}  // namespace descent

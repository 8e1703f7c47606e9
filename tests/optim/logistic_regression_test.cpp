// Logistic regression on a Fashion-MNIST pair of classes (T-shirt/top against
// Shirt, the pair hardest to tell apart): a strongly convex problem, so
// L-BFGS, nonlinear CG and accelerated gradient descent must all reach the one
// minimum f* that torch.optim.LBFGS found in double precision
// (reference/make_logistic_reference.py, reference/torch_logistic.json).
// Reads the images from Debian's dataset-fashion-mnist and fails, saying so,
// without them.
#include "descent/optim/logistic_regression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/data/idx.hpp"
#include "descent/data/sources.hpp"
#include "descent/optim/minimize.hpp"
#include "descent/optim/nesterov.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

struct Reference {
  int negative_class = 0, positive_class = 0;
  std::size_t per_class = 0;
  double lambda = 0, f_star = 0, w_norm = 0, bias = 0, accuracy = 0, lipschitz = 0;
};

Reference read_reference() {
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/optim/reference/torch_logistic.json");
  const auto json = nlohmann::json::parse(in);
  return {json["classes"][0], json["classes"][1],     json["per_class"],
          json["lambda"],     json["f_star"],         json["w_norm"],
          json["bias"],       json["accuracy"],       json["lipschitz_bound"]};
}

// The reference's samples: the first per_class training images of each of the
// two classes, in file order; target 1 for the second class.
std::unique_ptr<LogisticRegression> make_problem(const Reference& reference) {
  const fs::path dir = default_data_dir(DatasetKind::FashionMnist);
  const Dataset train = read_idx_dataset(dir / "train-images-idx3-ubyte.gz",
                                         dir / "train-labels-idx1-ubyte.gz");
  std::vector<float> features;
  std::vector<std::uint8_t> targets;
  std::size_t taken[2] = {0, 0};
  for (std::size_t i = 0; i < train.size(); ++i) {
    const int label = train.labels[i];
    const int side = label == reference.positive_class ? 1 : 0;
    if ((label != reference.negative_class && side == 0) || taken[side] == reference.per_class) {
      continue;
    }
    ++taken[side];
    const float* row = train.features.data() + i * train.dim();
    features.insert(features.end(), row, row + train.dim());
    targets.push_back(static_cast<std::uint8_t>(side));
  }
  return std::make_unique<LogisticRegression>(features, train.dim(), targets, reference.lambda);
}

class FashionMnistPair : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = read_reference();
    const fs::path dir = default_data_dir(DatasetKind::FashionMnist);
    if (fs::exists(dir / "train-images-idx3-ubyte.gz")) problem_ = make_problem(reference_);
  }
  static void TearDownTestSuite() { problem_.reset(); }

  void SetUp() override {
    ASSERT_NE(problem_, nullptr)
        << "Fashion-MNIST not found in " << default_data_dir(DatasetKind::FashionMnist)
        << ": install Debian's dataset-fashion-mnist";
  }

  // f agrees with f* to 1e-8 relative; the gradient is below `gradient_limit`.
  static void expect_minimum(const std::vector<double>& x, double gradient_limit) {
    std::vector<double> g(x.size());
    const double f = problem_->value_and_gradient(x, g);
    EXPECT_NEAR(f, reference_.f_star, 1e-8 * reference_.f_star);
    double gg = 0;
    for (const double v : g) gg += v * v;
    EXPECT_LT(std::sqrt(gg), gradient_limit);
    // ||w - w*|| <= ||g|| / mu, mu ~ 0.008 the least curvature: 1e-4 is loose.
    double ww = 0;
    for (std::size_t j = 0; j + 1 < x.size(); ++j) ww += x[j] * x[j];
    EXPECT_NEAR(std::sqrt(ww), reference_.w_norm, 1e-4 * reference_.w_norm);
    EXPECT_NEAR(x.back(), reference_.bias, 1e-4);
    EXPECT_DOUBLE_EQ(problem_->accuracy(x), reference_.accuracy);
  }

  // Stops at ||g|| <= 4e-8 ||x|| ~ 1e-7. Much lower is out of reach: near
  // ||g|| = 1e-8 a step can lower f by at most ||g||^2 / (2 mu) ~ 6e-15, the
  // size of the rounding error of f summed over 2,000 samples, and the line
  // search fails (torch's stops there too). At ||g|| = 1e-7, f is within
  // ||g||^2 / (2 mu) ~ 6e-13 of f*.
  static SearchResult run(SearchDirection<double>& direction, double c2, std::vector<double>& x) {
    LineSearchMinimizerConfig config;
    config.line_search.c2 = c2;
    config.stopping.gradient_tolerance = 4e-8;
    config.stopping.max_iterations = 5000;
    return minimize_with_line_search(*problem_, direction, x, config);
  }

  static inline Reference reference_;
  static inline std::unique_ptr<LogisticRegression> problem_;
};

TEST_F(FashionMnistPair, GradientMatchesCentralDifferences) {
  std::vector<double> x(problem_->dim());
  for (std::size_t j = 0; j < x.size(); ++j) x[j] = 0.01 * std::sin(static_cast<double>(j));
  std::vector<double> g(x.size());
  problem_->value_and_gradient(x, g);
  const double h = 1e-6;
  for (const std::size_t j : {std::size_t{0}, std::size_t{300}, std::size_t{407}, x.size() - 1}) {
    std::vector<double> up = x, down = x;
    up[j] += h;
    down[j] -= h;
    const double numeric = (problem_->value(up) - problem_->value(down)) / (2 * h);
    EXPECT_NEAR(g[j], numeric, 1e-8) << j;
  }
  EXPECT_NEAR(problem_->value(problem_->start()), std::log(2.0), 1e-12);  // 2,000 terms summed
}

TEST_F(FashionMnistPair, LbfgsAndConjugateGradientsReachTheReferenceMinimum) {
  LbfgsDirection<double> lbfgs;
  ConjugateGradientDirection<double> cg;
  for (auto [direction, c2] : {std::pair<SearchDirection<double>*, double>{&lbfgs, 0.9},
                               std::pair<SearchDirection<double>*, double>{&cg, 0.1}}) {
    SCOPED_TRACE(direction->name());
    std::vector<double> x = problem_->start();
    const SearchResult r = run(*direction, c2, x);
    EXPECT_EQ(r.reason, StopReason::gradient_small) << r.message;
    expect_minimum(x, 1.1e-7);
  }
}

// Plain gradient descent with step 1/L needs about 40,000 steps here to
// reach f* to 1e-10 (measured with the reference's data; kappa = L / mu
// ~ 37 / 0.008 ~ 4,600). Nesterov's accelerated gradient, with the same step
// (L the reference's bound on the Hessian) and momentum 0.98, needs about
// sqrt(kappa) times fewer.
TEST_F(FashionMnistPair, AcceleratedGradientDescentReachesTheSameMinimum) {
  NesterovConfig config;
  config.momentum = 0.98;
  Nesterov<double> nesterov(config);
  const double lr = 1 / reference_.lipschitz;
  const MinimizeResult r =
      minimize(*problem_, nesterov, problem_->start(), 1300, [lr](std::size_t) { return lr; });
  ASSERT_FALSE(r.diverged);
  expect_minimum(r.x, 1e-6);
}

TEST(LogisticRegression, BadArgumentsAreNamed) {
  const std::vector<float> features = {0, 1, 1, 0};
  const std::vector<std::uint8_t> targets = {0, 1}, bad_targets = {0, 2};
  EXPECT_NO_THROW(LogisticRegression(features, 2, targets, 0.1));
  const auto message = [&](auto make) {
    try {
      make();
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] { LogisticRegression(features, 3, targets, 0.1); }).find("features"),
            std::string::npos);
  EXPECT_NE(message([&] { LogisticRegression(features, 2, bad_targets, 0.1); }).find("targets"),
            std::string::npos);
  EXPECT_NE(message([&] { LogisticRegression(features, 2, targets, 0); }).find("lambda"),
            std::string::npos);
}

}  // namespace
}  // namespace descent

// Initializers: names, statistics over a big layer, the draw order from the
// network's seed, and the per-layer initializers of layer specs (truncated
// normal, Glorot, zeros, constant biases).
#include "descent/nn/init.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "descent/core/error.hpp"
#include "descent/nn/network.hpp"

namespace descent {
namespace {

TEST(Init, ParsesAndPrintsEveryScheme) {
  for (const Init init : {Init::He, Init::Normal, Init::Xavier, Init::PyTorch}) {
    EXPECT_EQ(parse_init(to_string(init)), init);
  }
  EXPECT_EQ(to_string(Init::PyTorch), "pytorch");
  try {
    parse_init("kaiming");
    ADD_FAILURE() << "accepted 'kaiming'";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'kaiming'"), std::string::npos) << e.what();
  }
}

struct Moments {
  double mean;
  double stddev;
};

Moments moments(const ConstMatrixMap& m) {
  const Eigen::ArrayXd v = Eigen::Map<const Eigen::ArrayXf>(m.data(), m.size()).cast<double>();
  const double mean = v.mean();
  return {mean, std::sqrt((v - mean).square().mean())};
}

// W1 is (2000, 500): 1e6 draws, so the sample standard deviation is within
// 0.07% (one standard error) of the true one and the mean within 0.1% of it;
// the bounds below are 0.5%.
NetworkConfig big_layer(Init init) {
  NetworkConfig config;
  config.input_dim = 2000;
  config.hidden = {500};
  config.num_classes = 10;
  config.init = init;
  config.weight_scale = 0.03f;
  return config;
}

void expect_normal_init(Init init, double expected_stddev) {
  const Network net(big_layer(init), 1);
  const Moments w = moments(net.params().value(0));
  EXPECT_NEAR(w.stddev / expected_stddev, 1.0, 0.005) << to_string(init);
  EXPECT_NEAR(w.mean / expected_stddev, 0.0, 0.005) << to_string(init);
  EXPECT_EQ(net.params().value(1).cwiseAbs().maxCoeff(), 0.0f) << "biases start at 0";
}

TEST(Init, HeHasStandardDeviationSqrtTwoOverFanIn) {
  expect_normal_init(Init::He, std::sqrt(2.0 / 2000.0));
}

TEST(Init, XavierHasStandardDeviationSqrtTwoOverFanInPlusFanOut) {
  expect_normal_init(Init::Xavier, std::sqrt(2.0 / 2500.0));
}

TEST(Init, NormalHasStandardDeviationWeightScale) { expect_normal_init(Init::Normal, 0.03); }

TEST(Init, PyTorchIsUniformWithinOneOverSqrtFanIn) {
  const Network net(big_layer(Init::PyTorch), 1);
  const double bound = 1.0 / std::sqrt(2000.0);
  const ConstMatrixMap w = net.params().value(0);
  const ConstMatrixMap b = net.params().value(1);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), bound);
  EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.999 * bound);
  EXPECT_LE(b.cwiseAbs().maxCoeff(), bound);
  EXPECT_GT(b.cwiseAbs().maxCoeff(), 0.9 * bound) << "biases are drawn too";
  const Moments m = moments(w);
  EXPECT_NEAR(m.stddev / (bound / std::sqrt(3.0)), 1.0, 0.005);
  EXPECT_NEAR(m.mean / bound, 0.0, 0.005);
}

// W1, b1, W2, b2 in this order and row-major, from an Rng seeded with the
// network's seed; gamma and beta draw nothing.
TEST(Init, DrawsFromTheSeedInParameterOrder) {
  NetworkConfig config;
  config.input_dim = 3;
  config.hidden = {4};
  config.num_classes = 2;
  config.batchnorm = true;
  for (const Init init : {Init::He, Init::PyTorch}) {
    config.init = init;
    const Network net(config, 42);
    Rng rng(42);
    for (const std::string name : {"W1", "b1", "W2", "b2"}) {
      std::size_t id = 0;
      while (net.params().entries()[id].name != name) ++id;
      const ConstMatrixMap m = net.params().value(id);
      const double fan_in = name == "W1" || name == "b1" ? 3.0 : 4.0;
      for (Eigen::Index k = 0; k < m.size(); ++k) {
        float expected = 0.0f;
        if (init == Init::PyTorch) {
          expected = static_cast<float>((2.0 * rng.uniform() - 1.0) / std::sqrt(fan_in));
        } else if (name[0] == 'W') {
          expected = static_cast<float>(std::sqrt(2.0 / fan_in) * rng.normal());
        }
        EXPECT_EQ(m.data()[k], expected) << to_string(init) << " " << name << "[" << k << "]";
      }
    }
  }
}

// N(0, 1) truncated to [-2, 2] has standard deviation 0.8796 (kTruncatedStddev,
// which the test takes from the closed form instead) and kurtosis below 3.
TEST(Init, TruncatedNormalRedrawsBeyondTwoSigma) {
  Matrix w(1000, 1000);
  Matrix b(1, 1000);
  Rng rng(8);
  const LayerSpec layer = LayerSpec::dense(1000).with_init(WeightInit::truncated_normal, 0.05f, 0.05f);
  init_layer(layer, Init::He, 0.0f, 1000, 1000, MatrixMap(w.data(), 1000, 1000),
             MatrixMap(b.data(), 1, 1000), rng);
  // E z^2 on [-2, 2] = 1 - 2 * 2 phi(2) / (2 Phi(2) - 1)
  const double phi2 = std::exp(-2.0) / std::sqrt(2.0 * std::numbers::pi);
  const double expected_stddev = 0.05 * std::sqrt(1.0 - 4.0 * phi2 / std::erf(2.0 / std::sqrt(2.0)));
  EXPECT_NEAR(expected_stddev / 0.05, kTruncatedStddev, 1e-12);
  const Moments m = moments(ConstMatrixMap(w.data(), 1000, 1000));
  EXPECT_NEAR(m.stddev / expected_stddev, 1.0, 0.005);
  EXPECT_NEAR(m.mean / expected_stddev, 0.0, 0.005);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), 0.1f);
  EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.0999f) << "draws reach 2 sigma";
  EXPECT_EQ(b, Matrix::Constant(1, 1000, 0.05f)) << "biases take the constant";
}

// Glorot and Bengio (2010): Var W = 2 / (fan_in + fan_out), as a truncated
// normal (TensorFlow's glorot_normal) or uniform on +-sqrt(6 / (fan_in + fan_out)).
TEST(Init, GlorotInitializersHaveVarianceTwoOverFanInPlusFanOut) {
  Matrix w(500, 2000);
  Matrix b(1, 2000);
  const double fan_in = 1500;
  const double fan_out = 3500;
  const double stddev = std::sqrt(2.0 / (fan_in + fan_out));
  for (const WeightInit init : {WeightInit::glorot_normal, WeightInit::glorot_uniform}) {
    Rng rng(9);
    init_layer(LayerSpec::conv(8, 3, Padding::same).with_init(init), Init::He, 0.0f, fan_in,
               fan_out, MatrixMap(w.data(), 500, 2000), MatrixMap(b.data(), 1, 2000), rng);
    const Moments m = moments(ConstMatrixMap(w.data(), 500, 2000));
    EXPECT_NEAR(m.stddev / stddev, 1.0, 0.005);
    EXPECT_NEAR(m.mean / stddev, 0.0, 0.005);
    const double bound = init == WeightInit::glorot_normal ? 2.0 * stddev / kTruncatedStddev
                                                           : std::sqrt(3.0) * stddev;
    EXPECT_LE(w.cwiseAbs().maxCoeff(), bound);
    EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.999 * bound);
    EXPECT_EQ(b.cwiseAbs().maxCoeff(), 0.0f);
  }
}

TEST(Init, ZerosAndTheNetworksOwnScheme) {
  Matrix w = Matrix::Ones(3, 4);
  Matrix b = Matrix::Ones(1, 4);
  Rng rng(1);
  init_layer(LayerSpec::dense(4).with_init(WeightInit::zeros, 0.5f), Init::He, 0.0f, 3, 4,
             MatrixMap(w.data(), 3, 4), MatrixMap(b.data(), 1, 4), rng);
  EXPECT_EQ(w, Matrix::Zero(3, 4));
  EXPECT_EQ(b, Matrix::Constant(1, 4, 0.5f));
  EXPECT_TRUE(rng == Rng(1)) << "zeros draws nothing";

  // WeightInit::network: the network's Init with the layer's fans, as init_affine.
  Matrix expected_w(3, 4);
  Matrix expected_b(1, 4);
  Rng a(2);
  Rng c(2);
  init_layer(LayerSpec::dense(4), Init::PyTorch, 0.0f, 3, 4, MatrixMap(w.data(), 3, 4),
             MatrixMap(b.data(), 1, 4), a);
  init_affine(Init::PyTorch, 0.0f, MatrixMap(expected_w.data(), 3, 4),
              MatrixMap(expected_b.data(), 1, 4), c);
  EXPECT_EQ(w, expected_w);
  EXPECT_EQ(b, expected_b);
}

}  // namespace
}  // namespace descent

// The whole network: gradients against centered differences of an
// independent double-precision forward pass (cs231n's FullyConnectedNet),
// batch-norm and dropout conventions, determinism, validation, training to
// overfit, evaluation and moves.
#include "descent/nn/network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "nn/gradient_check.hpp"

namespace descent {
namespace {

using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowD = Eigen::Matrix<double, 1, Eigen::Dynamic>;

std::vector<std::int32_t> random_labels(std::size_t n, std::size_t classes, Rng& rng) {
  std::vector<std::int32_t> y(n);
  for (auto& label : y) label = static_cast<std::int32_t>(rng.below(classes));
  return y;
}

// Training-mode loss of the network in double, from a flat copy of the
// parameter values laid out as in `layout`, with the given dropout masks.
class ReferenceNet {
 public:
  ReferenceNet(const NetworkConfig& config, const ParamSet& layout, const Matrix& x,
               std::vector<std::int32_t> y, std::vector<MatrixD> masks)
      : config_(config),
        layout_(layout),
        x_(x.cast<double>()),
        y_(std::move(y)),
        masks_(std::move(masks)) {}

  double loss(const std::vector<double>& v) const {
    MatrixD h = x_;
    const std::size_t num_hidden = config_.hidden.size();
    for (std::size_t l = 1; l <= num_hidden; ++l) {
      MatrixD a = (h * param(v, "W", l)).rowwise() + param(v, "b", l).row(0);
      if (config_.batchnorm) {
        const RowD mu = a.colwise().mean();
        const MatrixD centered = a.rowwise() - mu;
        const RowD var = centered.cwiseAbs2().colwise().mean();
        const RowD inv_std = (var.array() + 1e-5).rsqrt();
        a = ((centered.array().rowwise() * inv_std.array()).rowwise() *
             param(v, "gamma", l).row(0).array())
                .rowwise() +
            param(v, "beta", l).row(0).array();
      }
      h = a.cwiseMax(0.0);
      if (config_.dropout > 0.0f) h = h.cwiseProduct(masks_[l - 1]);
    }
    const MatrixD s =
        (h * param(v, "W", num_hidden + 1)).rowwise() + param(v, "b", num_hidden + 1).row(0);
    double data_loss = 0.0;
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
      const double m = s.row(i).maxCoeff();
      data_loss += m + std::log((s.row(i).array() - m).exp().sum()) - s(i, y_[i]);
    }
    double sum_squares = 0.0;
    for (std::size_t l = 1; l <= num_hidden + 1; ++l) {
      sum_squares += param(v, "W", l).squaredNorm();
    }
    return data_loss / static_cast<double>(s.rows()) + 0.5 * config_.reg * sum_squares;
  }

 private:
  MatrixD param(const std::vector<double>& v, const std::string& prefix, std::size_t l) const {
    const std::string name = prefix + std::to_string(l);
    for (const ParamEntry& e : layout_.entries()) {
      if (e.name == name) {
        return Eigen::Map<const MatrixD>(v.data() + e.offset, static_cast<Eigen::Index>(e.rows),
                                         static_cast<Eigen::Index>(e.cols));
      }
    }
    ADD_FAILURE() << "no parameter " << name;
    return MatrixD();
  }

  const NetworkConfig& config_;
  const ParamSet& layout_;
  MatrixD x_;
  std::vector<std::int32_t> y_;
  std::vector<MatrixD> masks_;
};

// The masks a network with this config draws from `rng` for a batch of n:
// layer by layer, one uniform per element in row-major order.
std::vector<MatrixD> draw_masks(const NetworkConfig& config, Eigen::Index n, Rng rng) {
  std::vector<MatrixD> masks;
  if (config.dropout == 0.0f) return masks;
  for (const std::size_t d : config.hidden) {
    MatrixD m(n, static_cast<Eigen::Index>(d));
    for (Eigen::Index k = 0; k < m.size(); ++k) {
      m.data()[k] = rng.uniform() >= config.dropout ? 1.0 / (1.0 - config.dropout) : 0.0;
    }
    masks.push_back(m);
  }
  return masks;
}

struct GradCase {
  std::string name;
  std::vector<std::size_t> hidden;
  bool batchnorm;
  float dropout;
  float reg;
};

void PrintTo(const GradCase& c, std::ostream* out) { *out << c.name; }

class NetworkGradient : public ::testing::TestWithParam<GradCase> {};

// The analytic gradient (float) against centered differences of the double
// reference with h = 1e-5, which are exact to about 1e-9: what is left is the
// float rounding of the backward pass, about 1e-6 relative to the largest terms
// summed (measured: under 1e-7), hence bounds of 2e-5 relative plus 2e-6 of the
// largest gradient entry. A gradient off by 0.1% fails.
TEST_P(NetworkGradient, MatchesCenteredDifferencesOfADoubleReference) {
  const GradCase& c = GetParam();
  NetworkConfig config;
  config.input_dim = 6;
  config.hidden = c.hidden;
  config.num_classes = 4;
  config.batchnorm = c.batchnorm;
  config.dropout = c.dropout;
  config.reg = c.reg;
  Network net(config, 3);

  Rng rng(10);
  // Move every parameter off its initial value so biases and beta are not 0.
  for (std::size_t id = 0; id < net.params().entries().size(); ++id) {
    MatrixMap v = net.params().value(id);
    v += test::random_matrix(v.rows(), v.cols(), rng, 0.2);
  }
  const Matrix x = test::random_matrix(8, 6, rng);
  const std::vector<std::int32_t> y = random_labels(8, 4, rng);
  // Stale values that loss_and_grad must overwrite.
  for (std::size_t id = 0; id < net.params().entries().size(); ++id) {
    net.params().grad(id).setConstant(123.0f);
  }

  const Rng dropout_rng(77);
  Rng rng_for_net = dropout_rng;
  const float loss = net.loss_and_grad(x, y, rng_for_net);

  const ReferenceNet reference(config, net.params(), x, y, draw_masks(config, 8, dropout_rng));
  std::vector<double> v(net.params().values().begin(), net.params().values().end());
  EXPECT_NEAR(loss, reference.loss(v), 1e-5 * (1.0 + std::abs(loss)));

  std::vector<double> numeric(v.size(), 0.0);
  double largest = 0.0;
  for (const ParamEntry& e : net.params().entries()) {
    for (std::size_t k = e.offset; k < e.offset + e.size(); ++k) {
      const double old = v[k];
      v[k] = old + 1e-5;
      const double plus = reference.loss(v);
      v[k] = old - 1e-5;
      const double minus = reference.loss(v);
      v[k] = old;
      numeric[k] = (plus - minus) / 2e-5;
      largest = std::max(largest, std::abs(numeric[k]));
    }
  }
  ASSERT_GT(largest, 1e-2);
  for (const ParamEntry& e : net.params().entries()) {
    const std::vector<double> part(
        numeric.begin() + static_cast<std::ptrdiff_t>(e.offset),
        numeric.begin() + static_cast<std::ptrdiff_t>(e.offset + e.size()));
    test::expect_gradient_near(net.params().grads().data() + e.offset, part, 2e-5, 2e-6 * largest,
                               e.name);
  }
  std::vector<bool> padding(v.size(), true);
  for (const ParamEntry& e : net.params().entries()) {
    std::fill_n(padding.begin() + static_cast<std::ptrdiff_t>(e.offset), e.size(), false);
  }
  for (std::size_t k = 0; k < padding.size(); ++k) {
    if (padding[k]) {
      EXPECT_EQ(net.params().grads()[k], 0.0f) << "padding at " << k;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, NetworkGradient,
                         ::testing::Values(GradCase{"plain", {7, 5}, false, 0.0f, 0.0f},
                                           GradCase{"reg", {7, 5}, false, 0.0f, 0.3f},
                                           GradCase{"batchnorm", {7, 5}, true, 0.0f, 0.0f},
                                           GradCase{"dropout", {7, 5}, false, 0.3f, 0.0f},
                                           GradCase{"all", {7, 5, 6}, true, 0.3f, 0.1f},
                                           GradCase{"softmax_regression", {}, false, 0.0f, 0.2f}),
                         [](const ::testing::TestParamInfo<GradCase>& param_info) {
                           return param_info.param.name;
                         });

NetworkConfig small_config() {
  NetworkConfig config;
  config.input_dim = 5;
  config.hidden = {8, 6};
  config.num_classes = 3;
  return config;
}

TEST(Network, RegistersParametersInLayerOrder) {
  NetworkConfig config = small_config();
  config.batchnorm = true;
  const Network net(config, 1);
  std::vector<std::string> names;
  for (const ParamEntry& e : net.params().entries()) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2",
                                             "beta2", "W3", "b3"}));
  EXPECT_EQ(net.params().count(), 5u * 8 + 8 + 8 + 8 + 8 * 6 + 6 + 6 + 6 + 6 * 3 + 3);
  EXPECT_EQ(net.buffers().size(), 2u * (8 + 6));
}

TEST(Network, BatchNormUpdatesItsRunningStatisticsFromTheBatch) {
  NetworkConfig config = small_config();
  config.batchnorm = true;
  Network net(config, 1);
  const std::vector<float> initial(net.buffers().begin(), net.buffers().end());
  for (std::size_t k = 0; k < 8; ++k) EXPECT_EQ(initial[k], 0.0f);
  for (std::size_t k = 8; k < 16; ++k) EXPECT_EQ(initial[k], 1.0f);

  Rng rng(2);
  const Matrix x = test::random_matrix(10, 5, rng);
  const std::vector<std::int32_t> y = random_labels(10, 3, rng);
  net.loss_and_grad(x, y, rng);

  // The first layer's pre-activations a = x W1 + b1 (10, 8), in double.
  const MatrixD a = (x.cast<double>() * net.params().value(0).cast<double>()).rowwise() +
                    net.params().value(1).cast<double>().row(0);
  const RowD mu = a.colwise().mean();
  const RowD var = (a.rowwise() - mu).cwiseAbs2().colwise().mean();
  for (Eigen::Index j = 0; j < 8; ++j) {
    EXPECT_NEAR(net.buffers()[static_cast<std::size_t>(j)], 0.1 * mu(j), 1e-6);
    EXPECT_NEAR(net.buffers()[static_cast<std::size_t>(8 + j)], 0.9 + 0.1 * var(j), 1e-6);
  }
}

TEST(Network, DrawsOneUniformPerHiddenUnitForDropoutAndNoneWithout) {
  Rng data(1);
  const Matrix x = test::random_matrix(4, 5, data);
  const std::vector<std::int32_t> y = random_labels(4, 3, data);

  Network plain(small_config(), 1);
  Rng rng(5);
  plain.loss_and_grad(x, y, rng);
  EXPECT_TRUE(rng == Rng(5));

  NetworkConfig config = small_config();
  config.dropout = 0.5f;
  Network dropped(config, 1);
  Rng used(5);
  dropped.loss_and_grad(x, y, used);
  Rng expected(5);
  for (int k = 0; k < 4 * (8 + 6); ++k) expected.uniform();
  EXPECT_TRUE(used == expected);
}

TEST(Network, SameSeedIsBitwiseIdenticalAndOtherSeedsDiffer) {
  NetworkConfig config = small_config();
  config.batchnorm = true;
  config.dropout = 0.2f;
  Network a(config, 7);
  Network b(config, 7);
  Network c(config, 8);
  ASSERT_EQ(a.params().size(), b.params().size());
  EXPECT_EQ(std::memcmp(a.params().values().data(), b.params().values().data(),
                        a.params().size() * sizeof(float)),
            0);
  EXPECT_NE(std::memcmp(a.params().values().data(), c.params().values().data(),
                        a.params().size() * sizeof(float)),
            0);

  Rng data(3);
  const Matrix x = test::random_matrix(6, 5, data);
  const std::vector<std::int32_t> y = random_labels(6, 3, data);
  Rng rng_a(4);
  Rng rng_b(4);
  Rng rng_c(4);
  for (int step = 0; step < 3; ++step) {
    const float loss_a = a.loss_and_grad(x, y, rng_a);
    const float loss_b = b.loss_and_grad(x, y, rng_b);
    const float loss_c = c.loss_and_grad(x, y, rng_c);
    EXPECT_EQ(std::memcmp(&loss_a, &loss_b, sizeof(float)), 0);
    EXPECT_NE(loss_a, loss_c);
    EXPECT_EQ(std::memcmp(a.params().grads().data(), b.params().grads().data(),
                          a.params().size() * sizeof(float)),
              0);
  }
}

struct BadField {
  std::string expected_message;
  std::function<void(NetworkConfig&)> change;
};

TEST(NetworkConfig, ValidateNamesTheFieldAndValue) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<BadField> cases = {
      {"input_dim: expected at least 1, got 0", [](NetworkConfig& c) { c.input_dim = 0; }},
      {"num_classes: expected at least 2, got 1", [](NetworkConfig& c) { c.num_classes = 1; }},
      {"hidden[1]: expected at least 1, got 0",
       [](NetworkConfig& c) {
         c.hidden = {3, 0, 2};
       }},
      {"init: expected he, normal, xavier or pytorch, got 9",
       [](NetworkConfig& c) { c.init = static_cast<Init>(9); }},
      {"weight_scale: expected a finite value > 0, got 0",
       [](NetworkConfig& c) { c.weight_scale = 0.0f; }},
      {"weight_scale: expected a finite value > 0, got -0.5",
       [](NetworkConfig& c) { c.weight_scale = -0.5f; }},
      {"weight_scale: expected a finite value > 0, got inf",
       [=](NetworkConfig& c) { c.weight_scale = inf; }},
      {"reg: expected a finite value >= 0, got -0.1", [](NetworkConfig& c) { c.reg = -0.1f; }},
      {"reg: expected a finite value >= 0, got nan", [=](NetworkConfig& c) { c.reg = nan; }},
      {"dropout: expected a probability in [0, 1), got 1.5",
       [](NetworkConfig& c) { c.dropout = 1.5f; }},
      {"dropout: expected a probability in [0, 1), got 1", [](NetworkConfig& c) { c.dropout = 1; }},
      {"dropout: expected a probability in [0, 1), got -0.25",
       [](NetworkConfig& c) { c.dropout = -0.25f; }},
      {"dropout: expected a probability in [0, 1), got nan",
       [=](NetworkConfig& c) { c.dropout = nan; }},
  };
  for (const BadField& bad : cases) {
    NetworkConfig config;
    bad.change(config);
    try {
      config.validate();
      ADD_FAILURE() << "accepted: " << bad.expected_message;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()), bad.expected_message);
    }
    EXPECT_THROW(Network(config, 1), ConfigError) << bad.expected_message;
  }
  NetworkConfig softmax_regression;
  softmax_regression.hidden = {};
  EXPECT_NO_THROW(softmax_regression.validate());
  EXPECT_NO_THROW(NetworkConfig().validate());
}

TEST(Network, RejectsBatchesThatDoNotFit) {
  Network net(small_config(), 1);
  Rng rng(1);
  const Matrix x = Matrix::Zero(3, 5);
  const std::vector<std::int32_t> y = {0, 1, 2};
  const auto message = [&](const Matrix& xs, std::vector<std::int32_t> ys) {
    try {
      net.loss_and_grad(xs, ys, rng);
    } catch (const ShapeError& e) {
      return std::string(e.what());
    }
    return std::string("no ShapeError");
  };
  EXPECT_EQ(message(Matrix::Zero(3, 4), y),
            "loss_and_grad: x has 4 columns, the network's input_dim is 5");
  EXPECT_EQ(message(x, {0, 1}), "loss_and_grad: 2 labels for 3 rows of x");
  EXPECT_EQ(message(x, {0, 3, 1}), "loss_and_grad: label 3 at row 1 is outside [0, 3)");
  EXPECT_EQ(message(x, {0, 1, -1}), "loss_and_grad: label -1 at row 2 is outside [0, 3)");
  EXPECT_EQ(message(Matrix::Zero(0, 5), {}), "loss_and_grad: x has no rows");
  EXPECT_THROW(net.scores(Matrix::Zero(2, 6)), ShapeError);
  EXPECT_THROW(net.evaluate(x, std::vector<std::int32_t>{0, 1, 5}), ShapeError);
  EXPECT_THROW(net.evaluate(x, y, 0), ConfigError);
}

// Plain gradient descent on 50 random points with random labels: the network
// has far more parameters than points, so it must fit them all.
TEST(Network, OverfitsFiftyRandomSamples) {
  NetworkConfig config;
  config.input_dim = 20;
  config.hidden = {100, 100};
  config.num_classes = 5;
  Network net(config, 12);
  Rng rng(13);
  const Matrix x = test::random_matrix(50, 20, rng);
  const std::vector<std::int32_t> y = random_labels(50, 5, rng);
  const double initial = net.evaluate(x, y).loss;
  float loss = 0.0f;
  for (int step = 0; step < 300; ++step) {
    loss = net.loss_and_grad(x, y, rng);
    std::span<float> w = net.params().values();
    std::span<const float> g = net.params().grads();
    for (std::size_t k = 0; k < w.size(); ++k) w[k] -= 0.1f * g[k];
  }
  const Network::Evaluation result = net.evaluate(x, y);
  EXPECT_EQ(result.accuracy, 1.0);
  EXPECT_LT(result.loss, 0.1 * initial);
  EXPECT_LT(loss, 0.1f * static_cast<float>(initial));
}

TEST(Network, EvaluateMatchesAHandComputationForAnyBatchSize) {
  NetworkConfig config = small_config();
  config.batchnorm = true;
  Network net(config, 5);
  Rng rng(6);
  const Matrix x = test::random_matrix(10, 5, rng);
  const std::vector<std::int32_t> y = random_labels(10, 3, rng);
  net.loss_and_grad(x, y, rng);  // moves the running statistics off their start

  const MatrixD s = net.scores(x).cast<double>();
  double loss = 0.0;
  int correct = 0;
  for (Eigen::Index i = 0; i < 10; ++i) {
    loss += std::log(s.row(i).array().exp().sum()) - s(i, y[static_cast<std::size_t>(i)]);
    Eigen::Index best = 0;
    s.row(i).maxCoeff(&best);
    correct += best == y[static_cast<std::size_t>(i)] ? 1 : 0;
  }
  for (const std::size_t batch : {1u, 3u, 10u, 1000u}) {
    const Network::Evaluation e = net.evaluate(x, y, batch);
    EXPECT_NEAR(e.loss, loss / 10.0, 1e-6) << batch;
    EXPECT_EQ(e.accuracy, correct / 10.0) << batch;
  }
}

TEST(Network, EvaluateBreaksTiesTowardTheLowestClass) {
  Network net(small_config(), 5);
  for (float& v : net.params().values()) v = 0.0f;
  const Matrix x = Matrix::Ones(4, 5);
  const std::vector<std::int32_t> y = {0, 2, 0, 1};
  const Network::Evaluation e = net.evaluate(x, y, 3);
  EXPECT_NEAR(e.loss, std::log(3.0), 1e-6);
  EXPECT_EQ(e.accuracy, 0.5);
}

TEST(Network, ScoresChangeNoParametersOrStatisticsAndIgnoreTheBatch) {
  NetworkConfig config = small_config();
  config.batchnorm = true;
  config.dropout = 0.5f;
  Network net(config, 5);
  Rng rng(6);
  const Matrix x = test::random_matrix(7, 5, rng);
  const std::vector<std::int32_t> y = random_labels(7, 3, rng);
  net.loss_and_grad(x, y, rng);

  const std::vector<float> values(net.params().values().begin(), net.params().values().end());
  const std::vector<float> grads(net.params().grads().begin(), net.params().grads().end());
  const std::vector<float> buffers(net.buffers().begin(), net.buffers().end());
  const Matrix all = net.scores(x);
  const Matrix one = net.scores(x.row(4));
  EXPECT_EQ(all, net.scores(x)) << "no dropout, no batch statistics in test mode";
  EXPECT_TRUE(one.row(0).isApprox(all.row(4), 1e-6f));
  EXPECT_EQ(values, std::vector<float>(net.params().values().begin(), net.params().values().end()));
  EXPECT_EQ(grads, std::vector<float>(net.params().grads().begin(), net.params().grads().end()));
  EXPECT_EQ(buffers, std::vector<float>(net.buffers().begin(), net.buffers().end()));
}

bool same_bits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

TEST(Network, MovedNetworksKeepWorking) {
  NetworkConfig config = small_config();
  config.batchnorm = true;
  Rng data(9);
  const Matrix x = test::random_matrix(6, 5, data);
  const std::vector<std::int32_t> y = random_labels(6, 3, data);
  Network reference(config, 4);
  Rng rng_reference(1);
  Rng rng(1);

  Network source(config, 4);
  Network moved(std::move(source));
  EXPECT_EQ(moved.loss_and_grad(x, y, rng), reference.loss_and_grad(x, y, rng_reference));
  EXPECT_TRUE(same_bits(moved.params().grads(), reference.params().grads()));

  Network assigned(small_config(), 99);
  assigned = std::move(moved);
  EXPECT_TRUE(assigned.config().batchnorm);
  EXPECT_EQ(assigned.loss_and_grad(x, y, rng), reference.loss_and_grad(x, y, rng_reference));
  EXPECT_TRUE(same_bits(assigned.params().grads(), reference.params().grads()));
  EXPECT_TRUE(same_bits(assigned.buffers(), reference.buffers()));
}

}  // namespace
}  // namespace descent

// Networks given layer by layer: a conv net against PyTorch's forward and
// backward pass (tests/nn/reference/make_conv_reference.py), the fully
// connected network as a layer list, the checks of a layered config, training
// steps that allocate nothing, and a conv net that fits a small data set.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/nn/network.hpp"
#include "support/allocation_counter.hpp"
#include "nn/gradient_check.hpp"

namespace descent {
namespace {

nlohmann::json torch_reference() {
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/nn/reference/torch_conv_net.json");
  return nlohmann::json::parse(in);
}

std::size_t param_id(const ParamSet& params, const std::string& name) {
  for (std::size_t id = 0; id < params.entries().size(); ++id) {
    if (params.entries()[id].name == name) return id;
  }
  ADD_FAILURE() << "no parameter " << name;
  return 0;
}

// PyTorch computes in double, descent in float: every value here is a sum of
// at most 54 products of terms below 10, so float rounding leaves it within a
// few 1e-7 of the tensor's largest entry. 1e-5 of it is ample for that and
// fails any wrong index, padding or transposition.
void expect_close(const float* actual, const std::vector<double>& expected, const std::string& what) {
  double largest = 0.0;
  for (const double e : expected) largest = std::max(largest, std::abs(e));
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_NEAR(actual[k], expected[k], 1e-5 * largest) << what << "[" << k << "]";
  }
}

TEST(ConvNet, MatchesPyTorchForwardAndBackward) {
  const nlohmann::json ref = torch_reference();
  NetworkConfig config;
  for (const auto& text : ref["layers"]) config.layers.push_back(parse_layer_spec(text));
  const auto shape = ref["input_shape"].get<std::vector<std::size_t>>();
  config.input_shape = {shape[0], shape[1], shape[2]};
  config.input_dim = config.input_shape.size();
  config.num_classes = ref["num_classes"].get<std::size_t>();
  config.reg = ref["reg"].get<float>();
  Network net(config, 0);

  ASSERT_EQ(net.params().entries().size(), ref["params"].size());
  for (const auto& [name, values] : ref["params"].items()) {
    const std::size_t id = param_id(net.params(), name);
    MatrixMap value = net.params().value(id);
    const auto v = values.get<std::vector<float>>();
    ASSERT_EQ(static_cast<std::size_t>(value.size()), v.size()) << name;
    std::copy(v.begin(), v.end(), value.data());
  }
  const auto xs = ref["x"].get<std::vector<float>>();
  const auto n = static_cast<Eigen::Index>(ref["y"].size());
  const Matrix x = Eigen::Map<const Matrix>(xs.data(), n, static_cast<Eigen::Index>(config.input_dim));
  const auto y = ref["y"].get<std::vector<std::int32_t>>();

  Rng rng(1);
  const float loss = net.loss_and_grad(x, y, rng);
  EXPECT_NEAR(loss, ref["loss"].get<double>(), 1e-6 * ref["loss"].get<double>());
  for (const auto& [name, grads] : ref["grads"].items()) {
    const std::size_t id = param_id(net.params(), name);
    expect_close(net.params().grad(id).data(), grads.get<std::vector<double>>(), "d" + name);
  }
  expect_close(net.scores(x).data(), ref["scores"].get<std::vector<double>>(), "scores");
}

NetworkConfig small_mlp() {
  NetworkConfig config;
  config.input_dim = 6;
  config.hidden = {7, 5};
  config.num_classes = 4;
  config.batchnorm = true;
  config.dropout = 0.3f;
  config.reg = 0.1f;
  return config;
}

bool same_bits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

TEST(ConvNet, TheFullyConnectedNetworkIsItsLayerList) {
  const NetworkConfig mlp = small_mlp();
  NetworkConfig layered = mlp;
  layered.layers = network_layers(mlp);
  layered.hidden = {};
  layered.batchnorm = false;
  layered.dropout = 0.0f;
  std::vector<std::string> texts;
  for (const LayerSpec& layer : layered.layers) texts.push_back(to_string(layer));
  EXPECT_EQ(texts, (std::vector<std::string>{"dense 7", "batchnorm", "relu", "dropout 0.3",
                                             "dense 5", "batchnorm", "relu", "dropout 0.3",
                                             "dense 4"}));

  Network a(mlp, 3);
  Network b(layered, 3);
  ASSERT_TRUE(same_bits(a.params().values(), b.params().values()));
  Rng data(2);
  const Matrix x = test::random_matrix(8, 6, data);
  const std::vector<std::int32_t> y = {0, 1, 2, 3, 3, 2, 1, 0};
  Rng rng_a(9);
  Rng rng_b(9);
  for (int step = 0; step < 2; ++step) {
    EXPECT_EQ(a.loss_and_grad(x, y, rng_a), b.loss_and_grad(x, y, rng_b));
    EXPECT_TRUE(same_bits(a.params().grads(), b.params().grads()));
    EXPECT_TRUE(same_bits(a.buffers(), b.buffers()));
  }
}

NetworkConfig small_conv_net() {
  NetworkConfig config;
  config.input_shape = {1, 8, 8};
  config.input_dim = 64;
  config.num_classes = 10;
  config.layers = {LayerSpec::conv(4, 3, Padding::same),
                   LayerSpec::relu(),
                   LayerSpec::max_pool(2, 2, Padding::same),
                   LayerSpec::conv(6, 3, Padding::valid),
                   LayerSpec::relu(),
                   LayerSpec::flatten(),
                   LayerSpec::dense(16),
                   LayerSpec::batchnorm(),
                   LayerSpec::relu(),
                   LayerSpec::dropout_layer(0.1f),
                   LayerSpec::dense(10)};
  return config;
}

TEST(ConvNet, ValidateNamesTheLayerAndTheShapes) {
  const std::vector<std::pair<std::string, std::function<void(NetworkConfig&)>>> cases = {
      {"input_shape: 1x8x8 is 64 values, but input_dim is 784",
       [](NetworkConfig& c) { c.input_dim = 784; }},
      {"dense2: the last layer gives 10 outputs, expected num_classes = 12",
       [](NetworkConfig& c) { c.num_classes = 12; }},
      {"conv2: 3x3 kernel, pad=valid, does not fit its 4x2x2 input",
       [](NetworkConfig& c) {
         c.input_shape = {1, 4, 4};
         c.input_dim = 16;
       }},
      {"input_shape: conv1 needs images; expected the shape (channels, height, width) of the 64 "
       "input values",
       [](NetworkConfig& c) { c.input_shape = {}; }},
      {"dropout: with a layer list, put dropout in the list",
       [](NetworkConfig& c) { c.dropout = 0.5f; }},
      {"batchnorm: with a layer list, put batchnorm in the list",
       [](NetworkConfig& c) { c.batchnorm = true; }},
  };
  for (const auto& [message, change] : cases) {
    NetworkConfig config = small_conv_net();
    change(config);
    try {
      config.validate();
      ADD_FAILURE() << "accepted: " << message;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
    EXPECT_THROW(Network(config, 1), ConfigError) << message;
  }
  EXPECT_NO_THROW(small_conv_net().validate());
}

TEST(ConvNet, RejectsImagesOfTheWrongSize) {
  Network net(small_conv_net(), 1);
  Rng rng(1);
  try {
    net.loss_and_grad(Matrix::Zero(2, 3072), std::vector<std::int32_t>{0, 1}, rng);
    ADD_FAILURE() << "accepted 3072 columns";
  } catch (const ShapeError& e) {
    EXPECT_EQ(std::string(e.what()),
              "loss_and_grad: x has 3072 columns, the network's input_dim is 64 (1x8x8 images)");
  }
}

// The first step sizes every buffer; the next ones, on batches of the same
// size, reuse them. Counting is checked to work by an allocation it must see.
#if DESCENT_COUNTS_ALLOCATIONS
TEST(ConvNet, TrainingStepsAllocateNothingAfterTheFirst) {
  Network net(small_conv_net(), 2);
  Rng rng(3);
  const Matrix x = test::random_matrix(16, 64, rng);
  std::vector<std::int32_t> y(16);
  for (auto& label : y) label = static_cast<std::int32_t>(rng.below(10));
  net.loss_and_grad(x, y, rng);
  {
    const test::CountAllocations counter;
    const std::vector<float> allocates(1000, 1.0f);
    EXPECT_GE(counter.count(), 1u) << "the counter must see a vector's allocation";
  }
  const test::CountAllocations counter;
  for (int step = 0; step < 3; ++step) net.loss_and_grad(x, y, rng);
  EXPECT_EQ(counter.count(), 0u);
}
#endif

// 30 random 8x8 images with random labels: plain gradient descent must fit
// them all, as a network with far more parameters than samples can.
TEST(ConvNet, OverfitsThirtyRandomSamples) {
  NetworkConfig config = small_conv_net();
  config.layers.erase(config.layers.begin() + 7);  // no batchnorm
  config.layers.erase(config.layers.begin() + 8);  // no dropout
  Network net(config, 12);
  Rng rng(13);
  const Matrix x = test::random_matrix(30, 64, rng);
  std::vector<std::int32_t> y(30);
  for (auto& label : y) label = static_cast<std::int32_t>(rng.below(10));
  const double initial = net.evaluate(x, y).loss;
  for (int step = 0; step < 300; ++step) {
    net.loss_and_grad(x, y, rng);
    std::span<float> w = net.params().values();
    std::span<const float> g = net.params().grads();
    for (std::size_t k = 0; k < w.size(); ++k) w[k] -= 0.05f * g[k];
  }
  const Network::Evaluation result = net.evaluate(x, y, 7);
  EXPECT_EQ(result.accuracy, 1.0);
  EXPECT_LT(result.loss, 0.1 * initial);
}

}  // namespace
}  // namespace descent

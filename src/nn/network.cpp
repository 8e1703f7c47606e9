// The network: its config, layers, losses, L2 and evaluation.
#include "descent/nn/network.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "descent/core/error.hpp"
#include "descent/nn/quadratic_loss.hpp"
#include "descent/nn/softmax_loss.hpp"

namespace descent {

namespace {

template <typename T>
std::string field_error(const std::string& field, const std::string& expected, T value) {
  std::ostringstream message;
  message << field << ": expected " << expected << ", got " << value;
  return message.str();
}

}  // namespace

LossKind parse_loss_kind(const std::string& name) {
  if (name == "softmax") return LossKind::softmax;
  if (name == "quadratic-deep") return LossKind::quadratic_deep;
  throw ConfigError("loss: expected softmax or quadratic-deep, got '" + name + "'");
}

std::string to_string(LossKind loss) {
  return loss == LossKind::softmax ? "softmax" : "quadratic-deep";
}

void NetworkConfig::validate() const {
  if (input_dim < 1) throw ConfigError(field_error("input_dim", "at least 1", input_dim));
  if (num_classes < 2) throw ConfigError(field_error("num_classes", "at least 2", num_classes));
  for (std::size_t i = 0; i < hidden.size(); ++i) {
    if (hidden[i] < 1) {
      throw ConfigError(field_error("hidden[" + std::to_string(i) + "]", "at least 1", hidden[i]));
    }
  }
  if (init != Init::He && init != Init::Normal && init != Init::Xavier && init != Init::PyTorch) {
    throw ConfigError(field_error("init", "he, normal, xavier or pytorch", static_cast<int>(init)));
  }
  if (!(std::isfinite(weight_scale) && weight_scale > 0.0f)) {
    throw ConfigError(field_error("weight_scale", "a finite value > 0", weight_scale));
  }
  if (!(std::isfinite(reg) && reg >= 0.0f)) {
    throw ConfigError(field_error("reg", "a finite value >= 0", reg));
  }
  if (!(dropout >= 0.0f && dropout < 1.0f)) {
    throw ConfigError(field_error("dropout", "a probability in [0, 1)", dropout));
  }
  if (!input_shape.empty() && input_shape.size() != input_dim) {
    throw ConfigError("input_shape: " + to_string(input_shape) + " is " +
                      std::to_string(input_shape.size()) + " values, but input_dim is " +
                      std::to_string(input_dim));
  }
  if (loss != LossKind::softmax && loss != LossKind::quadratic_deep) {
    throw ConfigError(field_error("loss", "softmax or quadratic-deep", static_cast<int>(loss)));
  }
  if (loss == LossKind::quadratic_deep && layers.empty()) {
    throw ConfigError("loss: quadratic-deep needs a layer list ending in " +
                      std::to_string(kQuadraticDim) + " outputs, such as [\"offset start=1\"]");
  }
  if (layers.empty()) return;
  if (dropout > 0.0f) throw ConfigError("dropout: with a layer list, put dropout in the list");
  if (batchnorm) throw ConfigError("batchnorm: with a layer list, put batchnorm in the list");
  for (std::size_t i = 0; i < layers.size() && input_shape.empty(); ++i) {
    if (layers[i].kind == LayerKind::conv || layers[i].kind == LayerKind::max_pool) {
      throw ConfigError("input_shape: " + layer_name(layers, i) +
                        " needs images; expected the shape (channels, height, width) of the " +
                        std::to_string(input_dim) + " input values");
    }
  }
  const std::vector<ImageShape> shapes = layer_shapes(network_input_shape(*this), layers);
  if (loss == LossKind::quadratic_deep) {
    if (shapes.back().size() != kQuadraticDim) {
      throw ConfigError(layer_name(layers, layers.size() - 1) + ": the last layer gives " +
                        std::to_string(shapes.back().size()) +
                        " outputs, expected the quadratic's " + std::to_string(kQuadraticDim));
    }
    return;
  }
  if (shapes.back().size() != num_classes) {
    throw ConfigError(layer_name(layers, layers.size() - 1) + ": the last layer gives " +
                      std::to_string(shapes.back().size()) + " outputs, expected num_classes = " +
                      std::to_string(num_classes));
  }
}

std::vector<LayerSpec> network_layers(const NetworkConfig& config) {
  if (!config.layers.empty()) return config.layers;
  std::vector<LayerSpec> layers;
  for (const std::size_t units : config.hidden) {
    layers.push_back(LayerSpec::dense(units));
    if (config.batchnorm) layers.push_back(LayerSpec::batchnorm());
    layers.push_back(LayerSpec::relu());
    if (config.dropout > 0.0f) layers.push_back(LayerSpec::dropout_layer(config.dropout));
  }
  layers.push_back(LayerSpec::dense(config.num_classes));
  return layers;
}

ImageShape network_input_shape(const NetworkConfig& config) {
  return config.input_shape.empty() ? ImageShape{config.input_dim, 1, 1} : config.input_shape;
}

namespace {

const NetworkConfig& validated(const NetworkConfig& config) {
  config.validate();
  return config;
}

}  // namespace

Network::Network(const NetworkConfig& config, std::uint64_t seed)
    : config_(validated(config)),
      layers_(params_, network_input_shape(config_), network_layers(config_)) {
  params_.allocate();
  Rng rng(seed);
  layers_.initialize(params_, {config_.init, config_.weight_scale}, rng);
}

Network::~Network() = default;
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;

std::span<float> Network::buffers() { return layers_.buffers(); }
std::span<const float> Network::buffers() const { return layers_.buffers(); }

namespace {

void check_input(const Eigen::Ref<const Matrix>& x, const NetworkConfig& config,
                 std::string_view what) {
  if (static_cast<std::size_t>(x.cols()) != config.input_dim) {
    const std::string images =
        config.input_shape.empty() ? "" : " (" + to_string(config.input_shape) + " images)";
    throw ShapeError(std::string(what) + ": x has " + std::to_string(x.cols()) +
                     " columns, the network's input_dim is " + std::to_string(config.input_dim) +
                     images);
  }
}

void check_batch(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                 const NetworkConfig& config, std::string_view what) {
  check_input(x, config, what);
  if (x.rows() == 0) throw ShapeError(std::string(what) + ": x has no rows");
  if (y.size() != static_cast<std::size_t>(x.rows())) {
    throw ShapeError(std::string(what) + ": " + std::to_string(y.size()) + " labels for " +
                     std::to_string(x.rows()) + " rows of x");
  }
  check_labels(y, config.num_classes, what);
}

}  // namespace

float Network::loss_and_grad(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                             Rng& rng) {
  check_batch(x, y, config_, "loss_and_grad");
  const Matrix& scores = layers_.forward(params_, x, &rng);
  if (config_.loss == LossKind::quadratic_deep) {
    return backward(x, quadratic_loss(scores, deep_learning_hessian(), layers_.output_grad()));
  }
  return backward(x, softmax_loss(scores, y, layers_.output_grad()));
}

float Network::loss_and_grad(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                             const Eigen::Ref<const Matrix>& teacher_probabilities,
                             const Distillation& distillation, Rng& rng) {
  check_batch(x, y, config_, "loss_and_grad");
  if (config_.loss != LossKind::softmax) {
    throw ConfigError("distillation: needs a network with a softmax loss, not " +
                      to_string(config_.loss));
  }
  const Matrix& scores = layers_.forward(params_, x, &rng);
  return backward(x, distillation_loss(scores, y, teacher_probabilities, distillation,
                                       layers_.output_grad()));
}

float Network::backward(const Eigen::Ref<const Matrix>& x, double data_loss) {
  double loss = data_loss;
  layers_.backward(params_, x);

  // L2: loss += 0.5 * reg * sum(W^2), dW += reg * W, over the weight matrices.
  if (config_.reg > 0.0f) {
    double sum_squares = 0.0;
    for (std::size_t id = 0; id < params_.entries().size(); ++id) {
      if (params_.entries()[id].kind != ParamKind::Weight) continue;
      const ConstMatrixMap w = std::as_const(params_).value(id);
      sum_squares += w.squaredNorm();
      params_.grad(id) += config_.reg * w;
    }
    loss += 0.5 * config_.reg * sum_squares;
  }
  return static_cast<float>(loss);
}

const Matrix& Network::scores(const Eigen::Ref<const Matrix>& x) {
  check_input(x, config_, "scores");
  return layers_.forward(params_, x, nullptr);
}

Network::Evaluation Network::evaluate(const Eigen::Ref<const Matrix>& x,
                                      std::span<const std::int32_t> y, std::size_t batch_size) {
  check_batch(x, y, config_, "evaluate");
  if (batch_size < 1) throw ConfigError(field_error("evaluate: batch_size", "at least 1", 0));
  const auto n = static_cast<std::size_t>(x.rows());
  double loss_sum = 0.0;
  std::size_t correct = 0;
  for (std::size_t start = 0; start < n; start += batch_size) {
    const std::size_t m = std::min(batch_size, n - start);
    const Matrix& s =
        scores(x.middleRows(static_cast<Eigen::Index>(start), static_cast<Eigen::Index>(m)));
    const std::span<const std::int32_t> labels = y.subspan(start, m);
    if (config_.loss == LossKind::quadratic_deep) {
      loss_sum += quadratic_loss_sum(s, deep_learning_hessian());
      continue;
    }
    loss_sum += softmax_loss_sum(s, labels);
    // argmax with ties going to the lowest index
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
      Eigen::Index best = 0;
      for (Eigen::Index c = 1; c < s.cols(); ++c) {
        if (s(i, c) > s(i, best)) best = c;
      }
      if (best == labels[static_cast<std::size_t>(i)]) ++correct;
    }
  }
  return {loss_sum / static_cast<double>(n), static_cast<double>(correct) / static_cast<double>(n)};
}

}  // namespace descent

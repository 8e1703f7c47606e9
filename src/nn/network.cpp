// The fully connected network: its layers, buffers, forward and backward passes.
#include "descent/nn/network.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "descent/core/error.hpp"
#include "descent/nn/affine.hpp"
#include "descent/nn/batchnorm.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/init.hpp"
#include "descent/nn/relu.hpp"
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
}

// Layer l (0-based) of L = hidden.size() + 1 is an affine; every one but the
// last is followed by [batch norm], relu, [dropout], in place, whose output is
// h[l]. With dropout, h[l] is relu's output times the mask, still >= 0 and
// zero wherever relu's is, which is all the relu backward pass needs.
struct Network::Layers {
  std::vector<Affine> affine;        // L
  std::vector<BatchNorm> batchnorm;  // L - 1, or none
  std::vector<Dropout> dropout;      // L - 1, or none
  std::vector<float> buffers;        // running statistics of every batch norm
  std::vector<Matrix> h;             // L - 1 of (n, hidden[l])
  std::vector<Matrix> dh;            // L - 1 of (n, hidden[l])
  Matrix scores;                     // (n, num_classes)
  Matrix dscores;                    // (n, num_classes)

  // The input of affine layer l: the data for the first, h[l - 1] after it.
  Eigen::Ref<const Matrix> input(const Eigen::Ref<const Matrix>& x, std::size_t l) const {
    return l == 0 ? x : Eigen::Ref<const Matrix>(h[l - 1]);
  }

  // Class scores of x into `scores`. Training mode when `rng` is given: batch
  // norm normalizes with batch statistics and updates its running ones, and
  // dropout draws its masks from *rng. Test mode otherwise.
  void forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Rng* rng) {
    const std::size_t last = affine.size() - 1;
    for (std::size_t l = 0; l < last; ++l) {
      if (batchnorm.empty()) {
        affine[l].forward_relu(params, input(x, l), h[l]);
      } else {
        affine[l].forward(params, input(x, l), h[l]);
        if (rng != nullptr) {
          batchnorm[l].forward_train(params, h[l], buffers);
        } else {
          batchnorm[l].forward_test(params, h[l], buffers);
        }
        relu_forward(h[l]);
      }
      if (rng != nullptr && !dropout.empty()) dropout[l].forward(h[l], *rng);
    }
    affine[last].forward(params, input(x, last), scores);
  }

  // Writes every gradient tensor from dscores and the training-mode forward
  // pass, so grads() needs no zeroing. The data's gradient is not computed.
  void backward(ParamSet& params, const Eigen::Ref<const Matrix>& x) {
    const std::size_t last = affine.size() - 1;
    affine[last].backward(params, input(x, last), dscores, last > 0 ? &dh[last - 1] : nullptr);
    for (std::size_t l = last; l-- > 0;) {
      Matrix* dx = l > 0 ? &dh[l - 1] : nullptr;
      if (!dropout.empty()) dropout[l].backward(dh[l]);
      if (batchnorm.empty()) {
        affine[l].backward_relu(params, input(x, l), h[l], dh[l], dx);
      } else {
        relu_backward(h[l], dh[l]);
        batchnorm[l].backward(params, dh[l]);
        affine[l].backward(params, input(x, l), dh[l], dx);
      }
    }
  }
};

namespace {

const NetworkConfig& validated(const NetworkConfig& config) {
  config.validate();
  return config;
}

}  // namespace

Network::Network(const NetworkConfig& config, std::uint64_t seed)
    : config_(validated(config)), layers_(std::make_unique<Layers>()) {
  Layers& layers = *layers_;
  const std::size_t num_hidden = config_.hidden.size();
  std::size_t in = config_.input_dim;
  std::size_t buffer_size = 0;
  for (std::size_t l = 0; l <= num_hidden; ++l) {
    const std::size_t out = l < num_hidden ? config_.hidden[l] : config_.num_classes;
    layers.affine.emplace_back(params_, l + 1, in, out);
    if (l < num_hidden && config_.batchnorm) {
      layers.batchnorm.emplace_back(params_, l + 1, out, buffer_size);
      buffer_size += layers.batchnorm.back().buffer_size();
    }
    if (l < num_hidden && config_.dropout > 0.0f) layers.dropout.emplace_back(config_.dropout);
    in = out;
  }
  params_.allocate();
  layers.buffers.assign(buffer_size, 0.0f);
  layers.h.resize(num_hidden);
  layers.dh.resize(num_hidden);

  Rng rng(seed);
  for (const Affine& affine : layers.affine) {
    init_affine(config_.init, config_.weight_scale, params_.value(affine.weight_id()),
                params_.value(affine.bias_id()), rng);
  }
  for (const BatchNorm& bn : layers.batchnorm) bn.initialize(params_, layers.buffers);
}

Network::~Network() = default;
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;

std::span<float> Network::buffers() { return layers_->buffers; }
std::span<const float> Network::buffers() const { return layers_->buffers; }

namespace {

void check_input(const Eigen::Ref<const Matrix>& x, std::size_t input_dim, std::string_view what) {
  if (static_cast<std::size_t>(x.cols()) != input_dim) {
    throw ShapeError(std::string(what) + ": x has " + std::to_string(x.cols()) +
                     " columns, the network's input_dim is " + std::to_string(input_dim));
  }
}

void check_batch(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                 const NetworkConfig& config, std::string_view what) {
  check_input(x, config.input_dim, what);
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
  layers_->forward(params_, x, &rng);
  return backward(x, softmax_loss(layers_->scores, y, layers_->dscores));
}

float Network::loss_and_grad(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                             const Eigen::Ref<const Matrix>& teacher_probabilities,
                             const Distillation& distillation, Rng& rng) {
  check_batch(x, y, config_, "loss_and_grad");
  layers_->forward(params_, x, &rng);
  return backward(x, distillation_loss(layers_->scores, y, teacher_probabilities, distillation,
                                       layers_->dscores));
}

float Network::backward(const Eigen::Ref<const Matrix>& x, double data_loss) {
  double loss = data_loss;
  layers_->backward(params_, x);

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
  check_input(x, config_.input_dim, "scores");
  layers_->forward(params_, x, nullptr);
  return layers_->scores;
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

// The stages of a layered network, their forward and backward passes.
#include "descent/nn/sequential.hpp"

#include <optional>
#include <utility>
#include <variant>

#include "descent/core/error.hpp"
#include "descent/nn/affine.hpp"
#include "descent/nn/batchnorm.hpp"
#include "descent/nn/conv2d.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/init.hpp"
#include "descent/nn/max_pool.hpp"
#include "descent/nn/offset.hpp"
#include "descent/nn/relu.hpp"

namespace descent {

struct Sequential::Stage {
  Stage(std::variant<Affine, Conv2d, MaxPool2d, Offset> layer_, const LayerSpec& spec_)
      : layer(std::move(layer_)), spec(spec_) {}

  std::variant<Affine, Conv2d, MaxPool2d, Offset> layer;
  LayerSpec spec;  // of the layer, for its initialization
  std::optional<BatchNorm> batchnorm;
  bool relu = false;
  std::optional<Dropout> dropout;
  Matrix h;   // (n, outputs) the stage's output
  Matrix dh;  // (n, outputs) its gradient

  // A relu straight after a dense or conv layer runs inside it.
  bool fused_relu() const {
    return relu && !batchnorm &&
           (std::holds_alternative<Affine>(layer) || std::holds_alternative<Conv2d>(layer));
  }
};

Sequential::Sequential(ParamSet& params, const ImageShape& input,
                       const std::vector<LayerSpec>& layers) {
  const std::vector<ImageShape> shapes = layer_shapes(input, layers);
  std::size_t dense_count = 0;
  std::size_t conv_count = 0;
  std::size_t offset_count = 0;
  std::size_t buffer_size = 0;
  ImageShape shape = input;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& spec = layers[i];
    const std::string name = layer_name(layers, i);
    switch (spec.kind) {
      case LayerKind::dense:
        ++dense_count;
        stages_.emplace_back(Affine(params, dense_count, shape.size(), spec.units), spec);
        break;
      case LayerKind::conv:
        ++conv_count;
        stages_.emplace_back(Conv2d(params, "conv" + std::to_string(conv_count), shape, spec),
                             spec);
        break;
      case LayerKind::max_pool:
        stages_.emplace_back(MaxPool2d(name, shape, spec), spec);
        break;
      case LayerKind::batchnorm:
        // layer_shapes allows it only after a dense layer's vector, or a 1x1 image
        stages_.back().batchnorm.emplace(params, dense_count, shape.size(), buffer_size);
        buffer_size += stages_.back().batchnorm->buffer_size();
        break;
      case LayerKind::relu:
        stages_.back().relu = true;
        break;
      case LayerKind::dropout:
        stages_.back().dropout.emplace(spec.dropout);
        break;
      case LayerKind::offset:
        stages_.emplace_back(Offset(params, ++offset_count, shape.size()), spec);
        break;
      case LayerKind::flatten:
        break;
    }
    shape = shapes[i];
  }
  if (stages_.empty()) {
    throw ConfigError("layers: expected at least one dense, conv or offset layer");
  }
  buffers_.assign(buffer_size, 0.0f);
}

Sequential::~Sequential() = default;
Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;

void Sequential::initialize(ParamSet& params, const NetworkInit& init, Rng& rng) {
  for (Stage& stage : stages_) {
    if (const auto* affine = std::get_if<Affine>(&stage.layer)) {
      init_layer(stage.spec, init.init, init.weight_scale, static_cast<double>(affine->in_dim()),
                 static_cast<double>(affine->out_dim()), params.value(affine->weight_id()),
                 params.value(affine->bias_id()), rng);
    } else if (const auto* conv = std::get_if<Conv2d>(&stage.layer)) {
      init_layer(stage.spec, init.init, init.weight_scale, conv->fan_in(), conv->fan_out(),
                 params.value(conv->weight_id()), params.value(conv->bias_id()), rng);
    } else if (const auto* offset = std::get_if<Offset>(&stage.layer)) {
      params.value(offset->theta_id()).setConstant(stage.spec.bias_init);
    }
  }
  for (const Stage& stage : stages_) {
    if (stage.batchnorm) stage.batchnorm->initialize(params, buffers_);
  }
}

std::span<float> Sequential::buffers() { return buffers_; }
std::span<const float> Sequential::buffers() const { return buffers_; }

Matrix& Sequential::output_grad() { return stages_.back().dh; }

const Matrix& Sequential::forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x,
                                  Rng* rng) {
  for (std::size_t s = 0; s < stages_.size(); ++s) {
    Stage& stage = stages_[s];
    const Eigen::Ref<const Matrix> in = s == 0 ? x : Eigen::Ref<const Matrix>(stages_[s - 1].h);
    const bool fused = stage.fused_relu();
    if (auto* affine = std::get_if<Affine>(&stage.layer)) {
      if (fused) {
        affine->forward_relu(params, in, stage.h);
      } else {
        affine->forward(params, in, stage.h);
      }
    } else if (auto* conv = std::get_if<Conv2d>(&stage.layer)) {
      conv->forward(params, in, stage.h, fused);
    } else if (auto* offset = std::get_if<Offset>(&stage.layer)) {
      offset->forward(params, in, stage.h);
    } else {
      std::get<MaxPool2d>(stage.layer).forward(in, stage.h);
    }
    if (stage.batchnorm) {
      if (rng != nullptr) {
        stage.batchnorm->forward_train(params, stage.h, buffers_);
      } else {
        stage.batchnorm->forward_test(params, stage.h, buffers_);
      }
    }
    if (stage.relu && !fused) relu_forward(stage.h);
    if (rng != nullptr && stage.dropout) stage.dropout->forward(stage.h, *rng);
  }
  return stages_.back().h;
}

// With dropout, h is relu's output times the mask, still >= 0 and zero
// wherever relu's is, which is all the relu backward pass needs.
void Sequential::backward(ParamSet& params, const Eigen::Ref<const Matrix>& x) {
  for (std::size_t s = stages_.size(); s-- > 0;) {
    Stage& stage = stages_[s];
    const Eigen::Ref<const Matrix> in = s == 0 ? x : Eigen::Ref<const Matrix>(stages_[s - 1].h);
    Matrix* dx = s > 0 ? &stages_[s - 1].dh : nullptr;
    const bool fused = stage.fused_relu();
    if (stage.dropout) stage.dropout->backward(stage.dh);
    if (stage.relu && !fused) relu_backward(stage.h, stage.dh);
    if (stage.batchnorm) stage.batchnorm->backward(params, stage.dh);
    if (auto* affine = std::get_if<Affine>(&stage.layer)) {
      if (fused) {
        affine->backward_relu(params, in, stage.h, stage.dh, dx);
      } else {
        affine->backward(params, in, stage.dh, dx);
      }
    } else if (auto* conv = std::get_if<Conv2d>(&stage.layer)) {
      conv->backward(params, in, stage.h, stage.dh, dx, fused);
    } else if (const auto* offset = std::get_if<Offset>(&stage.layer)) {
      offset->backward(params, stage.dh, dx);
    } else if (dx != nullptr) {
      std::get<MaxPool2d>(stage.layer).backward(stage.dh, *dx);
    }
  }
}

}  // namespace descent

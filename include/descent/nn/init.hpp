// Initialization of a layer's weights W and biases b, by the rules listed
// with descent::Init in network.hpp and descent::WeightInit in layer_spec.hpp.
// fan_in and fan_out are the inputs and outputs that meet at one weight: an
// affine layer's (in, out), a conv layer's (C_in k k, C_out k k) as in
// TensorFlow and PyTorch. W is drawn first, then b, each in row-major order:
// He, Normal and Xavier use one rng.normal() per weight and set b to 0;
// PyTorch uses one rng.uniform() per weight and bias.
#pragma once

#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"
#include "descent/nn/layer_spec.hpp"
#include "descent/nn/network.hpp"

namespace descent {

// An affine layer's W (fan_in, fan_out) and b (1, fan_out) by `init`.
void init_affine(Init init, float weight_scale, MatrixMap w, MatrixMap b, Rng& rng);

// W and b of any shape by `init`, with the fans given.
void init_weights(Init init, float weight_scale, double fan_in, double fan_out, MatrixMap w,
                  MatrixMap b, Rng& rng);

// W and b by the layer's own WeightInit, or by the network's `init` and
// `weight_scale` when it is WeightInit::network.
void init_layer(const LayerSpec& layer, Init init, float weight_scale, double fan_in,
                double fan_out, MatrixMap w, MatrixMap b, Rng& rng);

// Each entry sigma * z, z ~ N(0, 1) redrawn until |z| <= 2 (TensorFlow's
// truncated_normal: the standard deviation of the result is 0.8796 sigma).
void fill_truncated_normal(MatrixMap m, double sigma, Rng& rng);

// The standard deviation of N(0, 1) truncated to [-2, 2]:
// sqrt(1 - 4 phi(2) / (2 Phi(2) - 1)) (TensorFlow's VarianceScaling divides by it).
inline constexpr double kTruncatedStddev = 0.87962566103423978;

}  // namespace descent

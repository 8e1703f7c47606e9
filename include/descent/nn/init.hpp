// Initialization of an affine layer's W (fan_in, fan_out) and b (1, fan_out),
// by the rules listed with descent::Init in network.hpp. W is drawn first, then
// b, each in row-major order: He, Normal and Xavier use one rng.normal() per
// weight and set b to 0; PyTorch uses one rng.uniform() per weight and bias.
#pragma once

#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"
#include "descent/nn/network.hpp"

namespace descent {

void init_affine(Init init, float weight_scale, MatrixMap w, MatrixMap b, Rng& rng);

}  // namespace descent

// A network given layer by layer, in JSON, as config.json and model files
// carry it: its layers in their text form (nn/layer_spec.hpp) and the shape
// of one input image, and the loss where it is not softmax,
//   {"layers": ["conv 32 5x5 pad=same", "relu", ..., "dense 10"], "input-shape": [1, 28, 28]}
//   {"layers": ["offset start=1"], "loss": "quadratic-deep"}
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "descent/nn/network.hpp"

namespace descent {

// {"layers": [...], "input-shape": [C, H, W], "loss": ...}; "input-shape" only
// when set, "loss" only when not softmax.
nlohmann::json layers_json(const NetworkConfig& config);
// Reads "layers", and "input-shape" and "loss" (if there), into config. ConfigError naming
// the entry that does not parse.
void read_layers_json(const nlohmann::json& json, NetworkConfig& config);

}  // namespace descent

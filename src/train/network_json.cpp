// The JSON form of a network's layer list.
#include "descent/train/network_json.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/nn/quadratic_loss.hpp"

namespace descent {

nlohmann::json layers_json(const NetworkConfig& config) {
  std::vector<std::string> layers;
  for (const LayerSpec& layer : config.layers) layers.push_back(to_string(layer));
  nlohmann::json json = {{"layers", layers}};
  const ImageShape& shape = config.input_shape;
  if (!shape.empty()) json["input-shape"] = {shape.channels, shape.height, shape.width};
  if (config.loss != LossKind::softmax) json["loss"] = to_string(config.loss);
  return json;
}

void read_layers_json(const nlohmann::json& json, NetworkConfig& config) {
  const nlohmann::json& layers = json.at("layers");
  if (!layers.is_array()) {
    throw ConfigError("layers: expected a list of layers such as \"conv 32 5x5\", got " +
                      layers.dump());
  }
  config.layers.clear();
  for (const auto& layer : layers) {
    if (!layer.is_string()) {
      throw ConfigError("layers: expected each layer as a string, got " + layer.dump());
    }
    config.layers.push_back(parse_layer_spec(layer.get<std::string>()));
  }
  config.loss = LossKind::softmax;
  if (json.contains("loss")) {
    const nlohmann::json& loss = json.at("loss");
    if (!loss.is_string()) {
      throw ConfigError("loss: expected softmax or quadratic-deep, got " + loss.dump());
    }
    config.loss = parse_loss_kind(loss.get<std::string>());
    // Its input has no image shape to carry its size: it is the quadratic's.
    if (config.loss == LossKind::quadratic_deep) config.input_dim = kQuadraticDim;
  }
  config.input_shape = {};
  if (json.contains("input-shape")) {
    const nlohmann::json& shape = json.at("input-shape");
    const bool counts = shape.is_array() && shape.size() == 3 &&
                        std::all_of(shape.begin(), shape.end(), [](const nlohmann::json& v) {
                          return v.is_number_unsigned();
                        });
    if (!counts) {
      throw ConfigError("input-shape: expected [channels, height, width], got " + shape.dump());
    }
    config.input_shape = {shape[0].get<std::size_t>(), shape[1].get<std::size_t>(),
                          shape[2].get<std::size_t>()};
  }
}

}  // namespace descent

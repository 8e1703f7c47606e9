// The JSON form of a network's layer list.
#include "descent/train/network_json.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "descent/core/error.hpp"

namespace descent {

nlohmann::json layers_json(const NetworkConfig& config) {
  std::vector<std::string> layers;
  for (const LayerSpec& layer : config.layers) layers.push_back(to_string(layer));
  nlohmann::json json = {{"layers", layers}};
  const ImageShape& shape = config.input_shape;
  if (!shape.empty()) json["input-shape"] = {shape.channels, shape.height, shape.width};
  return json;
}

void read_layers_json(const nlohmann::json& json, NetworkConfig& config) {
  config.layers.clear();
  for (const auto& layer : json.at("layers")) {
    config.layers.push_back(parse_layer_spec(layer.get<std::string>()));
  }
  config.input_shape = {};
  if (json.contains("input-shape")) {
    const auto shape = json.at("input-shape").get<std::vector<std::size_t>>();
    if (shape.size() != 3) {
      throw ConfigError("input-shape: expected [channels, height, width], got " +
                        json.at("input-shape").dump());
    }
    config.input_shape = {shape[0], shape[1], shape[2]};
  }
}

}  // namespace descent

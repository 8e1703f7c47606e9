#include "descent/train/model_file.hpp"

#include <nlohmann/json.hpp>

#include "descent/core/bytes.hpp"
#include "descent/train/checkpoint.hpp"
#include "descent/train/network_json.hpp"

namespace descent {

namespace {

constexpr char kKind[] = "descent model";

nlohmann::json network_json(const NetworkConfig& config) {
  nlohmann::json json = {{"input_dim", config.input_dim},       {"hidden", config.hidden},
                         {"num_classes", config.num_classes},   {"init", to_string(config.init)},
                         {"weight_scale", config.weight_scale}, {"reg", config.reg},
                         {"dropout", config.dropout},           {"batchnorm", config.batchnorm}};
  if (!config.layers.empty()) json.update(layers_json(config));
  return json;
}

NetworkConfig network_config(const std::string& text, const ByteReader& in) {
  NetworkConfig config;
  try {
    const auto json = nlohmann::json::parse(text);
    config.input_dim = json.at("input_dim").get<std::size_t>();
    config.hidden = json.at("hidden").get<std::vector<std::size_t>>();
    config.num_classes = json.at("num_classes").get<std::size_t>();
    config.init = parse_init(json.at("init").get<std::string>());
    config.weight_scale = json.at("weight_scale").get<float>();
    config.reg = json.at("reg").get<float>();
    config.dropout = json.at("dropout").get<float>();
    config.batchnorm = json.at("batchnorm").get<bool>();
    if (json.contains("layers")) read_layers_json(json, config);
  } catch (const nlohmann::json::exception& e) {
    in.fail("network", e.what());
  }
  return config;
}

}  // namespace

void save_model(const std::filesystem::path& path, const Network& network) {
  ByteWriter out;
  out.put_string(kKind);
  out.put_string(network_json(network.config()).dump());
  out.put_array<float>(network.params().values());
  out.put_array<float>(network.buffers());
  write_checkpoint(path, out.bytes());
}

Network load_model(const std::filesystem::path& path) {
  const std::string payload = read_checkpoint(path);
  ByteReader in(payload, path.string());
  if (in.get_string("kind") != kKind) in.fail("kind", "not a model file");
  Network network(network_config(in.get_string("network"), in), 0);
  in.get_into<float>(network.params().values(), "parameters");
  in.get_into<float>(network.buffers(), "buffers");
  if (!in.at_end()) in.fail("end", "unexpected bytes after the last field");
  return network;
}

}  // namespace descent

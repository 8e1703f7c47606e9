#include "json_config.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

namespace descent::cli {

namespace {

std::string as_input(const nlohmann::json& value, const std::string& key) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  throw CLI::ConversionError("config field '" + key +
                             "': expected a number, string or boolean, got " +
                             std::string(value.type_name()));
}

}  // namespace

std::string JsonConfig::to_config(const CLI::App* app, bool default_also,
                                  bool /*write_description*/, std::string /*prefix*/) const {
  nlohmann::json json = nlohmann::json::object();
  for (const CLI::Option* option : app->get_options()) {
    if (option->get_lnames().empty() || !option->get_configurable()) continue;
    const std::string& name = option->get_lnames().front();
    if (option->count() > 0) {
      const auto& results = option->results();
      json[name] = results.size() == 1 ? nlohmann::json(results.front()) : nlohmann::json(results);
    } else if (default_also && !option->get_default_str().empty()) {
      json[name] = option->get_default_str();
    }
  }
  return json.dump(2) + "\n";
}

std::vector<CLI::ConfigItem> JsonConfig::from_config(std::istream& input) const {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(input);
  } catch (const nlohmann::json::exception& e) {
    throw CLI::ConversionError(std::string("config file is not valid JSON: ") + e.what());
  }
  if (!json.is_object()) {
    throw CLI::ConversionError("config file: expected a JSON object of flag names and values");
  }
  std::vector<CLI::ConfigItem> result;
  for (const auto& [key, value] : json.items()) {
    CLI::ConfigItem item;
    item.name = key;
    std::replace(item.name.begin(), item.name.end(), '_', '-');
    if (value.is_array()) {
      for (const auto& element : value) item.inputs.push_back(as_input(element, key));
      if (item.inputs.empty()) item.inputs.emplace_back();
    } else {
      item.inputs.push_back(as_input(value, key));
    }
    result.push_back(std::move(item));
  }
  return result;
}

void apply_config_file(CLI::App& app, const std::string& path) {
  std::ifstream input(path);
  if (!input) throw CLI::FileError::Missing(path);
  apply_config(app, input, path);
}

void apply_config(CLI::App& app, std::istream& input, const std::string& source) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = JsonConfig().from_config(input);
  } catch (const CLI::Error& e) {
    throw CLI::ConversionError(source + ": " + e.what());
  }
  for (const CLI::ConfigItem& item : items) {
    CLI::Option* option = app.get_option_no_throw("--" + item.name);
    if (option == nullptr || !option->get_configurable()) {
      throw CLI::ConversionError(source + ": unknown setting '" + item.name + "'");
    }
    if (option->count() > 0) continue;  // the command line wins
    option->add_result(item.inputs);
    option->run_callback();
  }
}

}  // namespace descent::cli

#include "descent/core/json_file.hpp"

#include <limits>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"

namespace descent {

nlohmann::json parse_json(std::string_view text, const std::string& source) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(source + ": not valid JSON (" + e.what() + ")");
  }
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
  return parse_json(read_file(path), path.string());
}

const nlohmann::json& json_field(const nlohmann::json& object, const char* key,
                                 const std::string& where) {
  if (!object.is_object()) {
    throw FormatError(where + ": expected an object, found " + object.type_name());
  }
  const auto it = object.find(key);
  if (it == object.end()) throw FormatError(where + ": field '" + key + "' is missing");
  return *it;
}

void json_wrong_type(const nlohmann::json& value, const char* key, const std::string& where,
                     const char* expected) {
  throw FormatError(where + ": field '" + key + "': expected " + expected + ", found " +
                    value.type_name());
}

std::string json_text(const nlohmann::json& object, const char* key, const std::string& where) {
  const nlohmann::json& value = json_field(object, key, where);
  if (!value.is_string()) json_wrong_type(value, key, where, "a string");
  return value.get<std::string>();
}

double json_number(const nlohmann::json& object, const char* key, const std::string& where) {
  const nlohmann::json& value = json_field(object, key, where);
  if (!value.is_number()) json_wrong_type(value, key, where, "a number");
  return value.get<double>();
}

namespace {

double number_or_null(const nlohmann::json& value, const char* key, const std::string& where) {
  if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!value.is_number()) json_wrong_type(value, key, where, "a number or null");
  return value.get<double>();
}

}  // namespace

double json_number_or_null(const nlohmann::json& object, const char* key,
                           const std::string& where) {
  return number_or_null(json_field(object, key, where), key, where);
}

std::size_t json_count(const nlohmann::json& object, const char* key, const std::string& where) {
  const nlohmann::json& value = json_field(object, key, where);
  if (!value.is_number_unsigned()) json_wrong_type(value, key, where, "a whole number >= 0");
  return value.get<std::size_t>();
}

std::vector<double> json_numbers(const nlohmann::json& object, const char* key,
                                 const std::string& where) {
  const nlohmann::json& value = json_field(object, key, where);
  if (!value.is_array()) json_wrong_type(value, key, where, "an array of numbers");
  std::vector<double> numbers;
  numbers.reserve(value.size());
  for (const nlohmann::json& element : value) numbers.push_back(number_or_null(element, key, where));
  return numbers;
}

}  // namespace descent

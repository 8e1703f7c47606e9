// JSON read with errors that name where it came from.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace descent {

// FormatError "<source>: not valid JSON (...)" if the text does not parse.
nlohmann::json parse_json(std::string_view text, const std::string& source);

// Reads and parses a file: IoError if it cannot be read, FormatError naming
// it if it is not JSON.
nlohmann::json read_json_file(const std::filesystem::path& path);

// Fields of a JSON object, read with a FormatError that names `where` (the
// file and the object in it: "DIR/summary.json, row 2") and the field when the
// field is missing or of the wrong type.
const nlohmann::json& json_field(const nlohmann::json& object, const char* key,
                                 const std::string& where);
std::string json_text(const nlohmann::json& object, const char* key, const std::string& where);
double json_number(const nlohmann::json& object, const char* key, const std::string& where);
// A number its writer may have had as NaN or infinite, which JSON holds as null: NaN.
double json_number_or_null(const nlohmann::json& object, const char* key,
                           const std::string& where);
std::size_t json_count(const nlohmann::json& object, const char* key, const std::string& where);
// An array of numbers or nulls (NaN).
std::vector<double> json_numbers(const nlohmann::json& object, const char* key,
                                 const std::string& where);
// FormatError "<where>: field '<key>': expected <expected>, found <type>".
[[noreturn]] void json_wrong_type(const nlohmann::json& value, const char* key,
                                  const std::string& where, const char* expected);

}  // namespace descent

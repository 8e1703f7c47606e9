// JSON read with errors that name where it came from.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace descent {

// FormatError "<source>: not valid JSON (...)" if the text does not parse.
nlohmann::json parse_json(std::string_view text, const std::string& source);

// Reads and parses a file: IoError if it cannot be read, FormatError naming
// it if it is not JSON.
nlohmann::json read_json_file(const std::filesystem::path& path);

}  // namespace descent

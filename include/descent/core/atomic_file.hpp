// Files that are either wholly written or not there at all: write to a
// temporary file beside the target, flush it to disk, then rename it over the
// target. A run killed mid-write leaves the previous version intact.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace descent {

void write_file_atomic(const std::filesystem::path& path, std::string_view contents);

// Reads a whole file; IoError naming the file if it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace descent

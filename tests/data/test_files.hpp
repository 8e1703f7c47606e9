// Helpers for the data tests: writers for raw, gzip and IDX files, and a check
// of an error's type and message. Temporary folders come from support/.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "support/synthetic_data.hpp"

namespace descent::testing {

inline void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("test setup: cannot write " + path.string());
}

inline void write_gzip(const std::filesystem::path& path, std::string_view bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("test setup: cannot create " + path.string());
  const int written = gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  const int closed = gzclose(file);
  if (written != static_cast<int>(bytes.size()) || closed != Z_OK) {
    throw std::runtime_error("test setup: cannot write " + path.string());
  }
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// An unsigned-byte IDX file: magic 0x000008NN, big-endian dims, the values.
inline std::string make_idx(const std::vector<std::uint32_t>& dims,
                            const std::vector<std::uint8_t>& values) {
  std::string bytes = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (const std::uint32_t dim : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((dim >> shift) & 0xff);
  }
  bytes.append(values.begin(), values.end());
  return bytes;
}

// Passes if `action` throws exactly an `E` (or a subclass) whose message is
// one line containing every one of `parts`.
template <typename E, typename Action>
::testing::AssertionResult throws_with(Action&& action,
                                       std::initializer_list<std::string_view> parts) {
  try {
    action();
  } catch (const E& error) {
    const std::string_view message = error.what();
    if (message.find('\n') != std::string_view::npos) {
      return ::testing::AssertionFailure() << "message is not one line: " << message;
    }
    for (const auto part : parts) {
      if (message.find(part) == std::string_view::npos) {
        return ::testing::AssertionFailure()
               << "message '" << message << "' lacks '" << part << "'";
      }
    }
    return ::testing::AssertionSuccess() << message;
  } catch (const std::exception& error) {
    return ::testing::AssertionFailure() << "threw another type: " << error.what();
  }
  return ::testing::AssertionFailure() << "threw nothing";
}

}  // namespace descent::testing

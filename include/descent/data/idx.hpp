// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic
// (0, 0, type code, number of dimensions), big-endian 32-bit dimension sizes,
// then the values. Files may be gzip-compressed or raw; descent reads both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "descent/data/dataset.hpp"

namespace descent {

// An IDX array of unsigned bytes (type code 0x08, the only type these data
// sets use).
struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> values;  // row-major, product(dims) values
};

// Parses IDX bytes (already decompressed). `source` names them in errors.
IdxArray parse_idx(std::string_view bytes, const std::string& source);

// The largest decompressed file read_gzip_or_raw accepts unless told otherwise:
// far above the 47 MB of the largest file these data sets ship, low enough that
// a corrupt or hostile file cannot exhaust memory.
inline constexpr std::size_t kMaxDecompressedBytes = std::size_t{2} << 30;

// The bytes of a file, decompressed if it is gzip. IoError if it cannot be
// opened or read; FormatError if the gzip stream is corrupt or truncated, or
// if it holds more than max_bytes.
std::string read_gzip_or_raw(const std::filesystem::path& path,
                             std::size_t max_bytes = kMaxDecompressedBytes);

// Reads a file, gzip-compressed or raw, and parses it.
IdxArray read_idx(const std::filesystem::path& path);

// Pairs an images file (n, rows, cols) with a labels file (n): features are
// the pixels scaled to [0, 1], one image per row; 10 classes.
Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels);

}  // namespace descent

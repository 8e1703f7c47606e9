// IDX arrays and the MNIST-style (images, labels) pairs built from them.
#include "descent/data/idx.hpp"

#include <cstdio>
#include <limits>
#include <string>

#include "descent/core/error.hpp"

namespace descent {

namespace {

constexpr std::uint8_t kUnsignedByteType = 0x08;
constexpr std::size_t kMagicBytes = 4;
constexpr std::uint8_t kNumClasses = 10;

std::string hex(std::uint32_t value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", digits, value);
  return text;
}

std::uint32_t read_big_endian(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<std::uint8_t>(bytes[at + i]);
  }
  return value;
}

std::string format_dims(const std::vector<std::uint32_t>& dims) {
  constexpr std::size_t kShown = 6;
  std::string text;
  for (std::size_t i = 0; i < dims.size() && i < kShown; ++i) {
    if (i > 0) text += " x ";
    text += std::to_string(dims[i]);
  }
  if (dims.size() > kShown) text += " x ... (" + std::to_string(dims.size()) + " dimensions)";
  return text;
}

// The magic an unsigned-byte IDX file of `num_dims` dimensions starts with.
std::uint32_t magic_for(std::size_t num_dims) {
  return (std::uint32_t{kUnsignedByteType} << 8) | static_cast<std::uint32_t>(num_dims);
}

// IDX names its dimension count in the magic, so a file of the wrong rank is
// reported as a wrong magic, the way the MNIST documentation describes them.
void expect_rank(const IdxArray& array, std::size_t rank, const char* role,
                 const std::filesystem::path& path) {
  if (array.dims.size() != rank) {
    throw FormatError(path.string() + ": expected magic " + hex(magic_for(rank), 8) + " (" + role +
                      "), found " + hex(magic_for(array.dims.size()), 8));
  }
}

}  // namespace

IdxArray parse_idx(std::string_view bytes, const std::string& source) {
  if (bytes.size() < kMagicBytes) {
    throw FormatError(source + ": expected a 4-byte IDX magic, found a file of " +
                      std::to_string(bytes.size()) + " bytes");
  }
  const std::uint32_t magic = read_big_endian(bytes, 0);
  if (magic >> 16 == 0x1f8b) {
    throw FormatError(source + ": expected decompressed IDX data, found a gzip header");
  }
  if (magic >> 16 != 0) {
    throw FormatError(source + ": expected magic 0x000008NN (IDX of unsigned bytes), found " +
                      hex(magic, 8));
  }
  const std::uint32_t type = (magic >> 8) & 0xff;
  if (type != kUnsignedByteType) {
    throw FormatError(source + ": expected type code 0x08 (unsigned byte), found " + hex(type, 2) +
                      " in magic " + hex(magic, 8));
  }
  const std::size_t num_dims = magic & 0xff;
  if (num_dims == 0) {
    throw FormatError(source + ": expected at least 1 dimension, found 0 in magic " +
                      hex(magic, 8));
  }
  const std::size_t header_bytes = kMagicBytes + 4 * num_dims;
  if (bytes.size() < header_bytes) {
    throw FormatError(source + ": truncated header: expected " + std::to_string(header_bytes) +
                      " bytes for " + std::to_string(num_dims) + " dimensions, found " +
                      std::to_string(bytes.size()));
  }

  IdxArray array;
  array.dims.resize(num_dims);
  for (std::size_t i = 0; i < num_dims; ++i) {
    array.dims[i] = read_big_endian(bytes, kMagicBytes + 4 * i);
  }

  // The product is checked against the bytes present before anything of that
  // size is allocated.
  const std::size_t data_bytes = bytes.size() - header_bytes;
  std::uint64_t expected = 1;
  bool overflow = false;
  for (const std::uint32_t dim : array.dims) {
    if (dim == 0) {
      expected = 0;
      overflow = false;
      break;
    }
    if (expected > std::numeric_limits<std::uint64_t>::max() / dim) overflow = true;
    expected *= dim;
  }
  if (overflow) {
    throw FormatError(source + ": dimensions " + format_dims(array.dims) +
                      " overflow 64 bits; expected their product to equal the " +
                      std::to_string(data_bytes) + " data bytes");
  }
  if (expected > data_bytes) {
    throw FormatError(source + ": truncated data: dimensions " + format_dims(array.dims) +
                      " need " + std::to_string(expected) + " bytes, found " +
                      std::to_string(data_bytes));
  }
  if (expected < data_bytes) {
    throw FormatError(source + ": trailing bytes: dimensions " + format_dims(array.dims) +
                      " need " + std::to_string(expected) + " bytes, found " +
                      std::to_string(data_bytes));
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data()) + header_bytes;
  array.values.assign(data, data + data_bytes);
  return array;
}

IdxArray read_idx(const std::filesystem::path& path) {
  return parse_idx(read_gzip_or_raw(path), path.string());
}

Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels) {
  const IdxArray image_array = read_idx(images);
  expect_rank(image_array, 3, "images", images);
  const IdxArray label_array = read_idx(labels);
  expect_rank(label_array, 1, "labels", labels);

  const std::size_t n = image_array.dims[0];
  if (label_array.dims[0] != n) {
    throw FormatError(labels.string() + ": expected " + std::to_string(n) +
                      " labels, one per image of " + images.string() + ", found " +
                      std::to_string(label_array.dims[0]));
  }
  const std::size_t pixels = std::size_t{image_array.dims[1]} * image_array.dims[2];
  if (pixels == 0) {
    throw FormatError(images.string() + ": expected images of at least 1 pixel, found " +
                      format_dims(image_array.dims));
  }

  Dataset data;
  data.num_classes = kNumClasses;
  data.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t label = label_array.values[i];
    if (label >= kNumClasses) {
      throw FormatError(labels.string() + ": label " + std::to_string(i) +
                        ": expected a class in [0, 10), found " + std::to_string(label));
    }
    data.labels[i] = label;
  }
  data.features.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(pixels));
  float* out = data.features.data();
  const std::uint8_t* in = image_array.values.data();
  const std::size_t count = image_array.values.size();
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<float>(in[i]) / 255.0f;
  return data;
}

}  // namespace descent

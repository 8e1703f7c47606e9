// CIFAR-10 binary batches: every record is checked before any is converted,
// and several files are converted straight into one matrix.
#include "descent/data/cifar10.hpp"

#include <string>
#include <vector>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"

namespace descent {

namespace {

constexpr std::size_t kPixels = 3072;  // 3 channels x 32 x 32
constexpr std::size_t kRecordBytes = 1 + kPixels;
constexpr std::uint8_t kNumClasses = 10;

// Checks the length and every label of one batch; returns its record count.
std::size_t check_records(std::string_view bytes, const std::string& source) {
  if (bytes.empty() || bytes.size() % kRecordBytes != 0) {
    throw FormatError(source + ": expected a non-zero multiple of 3073 bytes (1 label + 3072 " +
                      "pixels per record), found " + std::to_string(bytes.size()) + " bytes (" +
                      std::to_string(bytes.size() / kRecordBytes) + " records and " +
                      std::to_string(bytes.size() % kRecordBytes) + " bytes over)");
  }
  const std::size_t n = bytes.size() / kRecordBytes;
  for (std::size_t i = 0; i < n; ++i) {
    const auto label = static_cast<std::uint8_t>(bytes[i * kRecordBytes]);
    if (label >= kNumClasses) {
      throw FormatError(source + ": record " + std::to_string(i) +
                        ": expected a label in [0, 10), found " + std::to_string(label));
    }
  }
  return n;
}

// Writes the checked records of `bytes` into `data` from row `first_row` on.
void convert_records(std::string_view bytes, Dataset& data, std::size_t first_row) {
  const std::size_t n = bytes.size() / kRecordBytes;
  const auto* in = reinterpret_cast<const std::uint8_t*>(bytes.data());
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* record = in + i * kRecordBytes;
    data.labels[first_row + i] = record[0];
    float* row = data.features.data() + (first_row + i) * kPixels;
    for (std::size_t p = 0; p < kPixels; ++p) row[p] = static_cast<float>(record[1 + p]) / 255.0f;
  }
}

Dataset allocate(std::size_t n) {
  Dataset data;
  data.num_classes = kNumClasses;
  data.labels.resize(n);
  data.features.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(kPixels));
  return data;
}

}  // namespace

Dataset parse_cifar10(std::string_view bytes, const std::string& source) {
  Dataset data = allocate(check_records(bytes, source));
  convert_records(bytes, data, 0);
  return data;
}

Dataset read_cifar10(std::span<const std::filesystem::path> files) {
  if (files.empty()) throw ConfigError("CIFAR-10: expected at least one batch file, found none");
  std::vector<std::string> contents;
  contents.reserve(files.size());
  std::size_t total = 0;
  for (const auto& path : files) {
    contents.push_back(read_file(path));
    total += check_records(contents.back(), path.string());
  }
  Dataset data = allocate(total);
  std::size_t row = 0;
  for (const auto& bytes : contents) {
    convert_records(bytes, data, row);
    row += bytes.size() / kRecordBytes;
  }
  return data;
}

}  // namespace descent

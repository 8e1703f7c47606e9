#include "support/synthetic_data.hpp"

#include <unistd.h>
#include <zlib.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace descent::testing {

namespace {

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void write_gz(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("cannot write " + path.string());
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

void write_split(const std::filesystem::path& dir, const std::string& prefix, std::size_t n,
                 std::size_t side, std::mt19937& gen) {
  std::vector<std::uint8_t> images;
  std::vector<std::uint8_t> labels;
  put_u32(images, 0x00000803);
  put_u32(images, static_cast<std::uint32_t>(n));
  put_u32(images, static_cast<std::uint32_t>(side));
  put_u32(images, static_cast<std::uint32_t>(side));
  put_u32(labels, 0x00000801);
  put_u32(labels, static_cast<std::uint32_t>(n));
  std::uniform_int_distribution<int> noise(0, 90);
  const std::size_t pixels = side * side;
  for (std::size_t i = 0; i < n; ++i) {
    const auto label = static_cast<std::uint8_t>(gen() % 10);
    labels.push_back(label);
    for (std::size_t p = 0; p < pixels; ++p) {
      const bool bright = (p * 10 / pixels) == label;
      images.push_back(static_cast<std::uint8_t>((bright ? 150 : 0) + noise(gen)));
    }
  }
  write_gz(dir / (prefix + "-images-idx3-ubyte.gz"), images);
  write_gz(dir / (prefix + "-labels-idx1-ubyte.gz"), labels);
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "descent-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a temp folder");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_synthetic_idx(const std::filesystem::path& dir, std::size_t train, std::size_t test,
                         std::size_t side, std::uint64_t seed) {
  std::mt19937 gen(static_cast<std::mt19937::result_type>(seed));
  write_split(dir, "train", train, side, gen);
  write_split(dir, "t10k", test, side, gen);
}

DataOptions write_synthetic_data(const std::filesystem::path& dir, std::size_t train,
                                 std::size_t test, std::size_t validation, std::uint64_t seed) {
  write_synthetic_idx(dir, train, test);
  DataOptions options;
  options.data_dir = dir;
  options.validation_size = validation;
  options.seed = seed;
  return options;
}

}  // namespace descent::testing

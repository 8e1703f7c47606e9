// IDX parsing, raw and gzip files, and the (images, labels) pairing with each
// of its errors.
#include "descent/data/idx.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

namespace descent {
namespace {

using testing::make_idx;
using testing::TempDir;
using testing::throws_with;
using testing::write_bytes;
using testing::write_gzip;

// Three 4x4 images whose pixels count up from 0, 10 apart per image.
std::vector<std::uint8_t> image_values() {
  std::vector<std::uint8_t> values(3 * 16);
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<std::uint8_t>((i / 16) * 10 + i % 16);
  }
  values[47] = 255;
  return values;
}

std::string images_bytes() { return make_idx({3, 4, 4}, image_values()); }
std::string labels_bytes() { return make_idx({3}, {7, 0, 9}); }

TEST(ParseIdx, ReadsDimsAndValues) {
  const IdxArray array = parse_idx(images_bytes(), "images");
  EXPECT_EQ(array.dims, (std::vector<std::uint32_t>{3, 4, 4}));
  EXPECT_EQ(array.values, image_values());
}

TEST(ParseIdx, AcceptsAZeroDimension) {
  const IdxArray array = parse_idx(make_idx({0, 28, 28}, {}), "empty");
  EXPECT_EQ(array.dims, (std::vector<std::uint32_t>{0, 28, 28}));
  EXPECT_TRUE(array.values.empty());
}

TEST(ParseIdx, RejectsInputShorterThanTheMagic) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_idx(std::string("\0\0\x08", 3), "short.idx"); },
                                       {"short.idx", "4-byte", "3 bytes"}));
}

TEST(ParseIdx, RejectsAWrongMagic) {
  std::string bytes = labels_bytes();
  bytes[0] = 0x12;
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_idx(bytes, "bad.idx"); },
                                       {"bad.idx", "expected magic", "found 0x12000801"}));
}

TEST(ParseIdx, RejectsGzipBytesThatWereNotDecompressed) {
  std::string bytes = labels_bytes();
  bytes[0] = '\x1f';
  bytes[1] = '\x8b';
  EXPECT_TRUE(
      throws_with<FormatError>([&] { parse_idx(bytes, "packed.idx"); }, {"packed.idx", "gzip"}));
}

TEST(ParseIdx, RejectsATypeOtherThanUnsignedByte) {
  std::string bytes = labels_bytes();
  bytes[2] = 0x0d;  // float
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_idx(bytes, "floats.idx"); },
                                       {"floats.idx", "expected type code 0x08", "found 0x0d"}));
}

TEST(ParseIdx, RejectsZeroDimensions) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_idx(std::string("\0\0\x08\0", 4), "s.idx"); },
                                       {"s.idx", "at least 1 dimension"}));
}

TEST(ParseIdx, RejectsATruncatedHeader) {
  const std::string bytes = images_bytes().substr(0, 10);
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_idx(bytes, "cut.idx"); },
                                       {"cut.idx", "truncated header", "expected 16", "found 10"}));
}

TEST(ParseIdx, RejectsTruncatedData) {
  const std::string bytes = images_bytes();
  EXPECT_TRUE(
      throws_with<FormatError>([&] { parse_idx(bytes.substr(0, bytes.size() - 1), "cut.idx"); },
                               {"cut.idx", "truncated data", "3 x 4 x 4", "need 48", "found 47"}));
}

TEST(ParseIdx, RejectsTrailingBytes) {
  const std::string bytes = images_bytes() + "xy";
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_idx(bytes, "long.idx"); },
                                       {"long.idx", "trailing bytes", "need 48", "found 50"}));
}

TEST(ParseIdx, RejectsDimsClaimingMoreDataThanPresentWithoutAllocatingIt) {
  // 4e9 x 4e9 bytes would exhaust any machine if allocated before checking.
  const std::string bytes = make_idx({4000000000u, 4000000000u}, {1, 2, 3});
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_idx(bytes, "huge.idx"); },
                                       {"huge.idx", "need 16000000000000000000", "found 3"}));
}

TEST(ParseIdx, RejectsDimsWhoseProductOverflows) {
  const std::string bytes = make_idx({0xffffffffu, 0xffffffffu, 0xffffffffu}, {1});
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_idx(bytes, "overflow.idx"); },
                                       {"overflow.idx", "overflow", "4294967295 x 4294967295"}));
}

TEST(ReadIdx, RawAndGzipFilesGiveTheSameArray) {
  const TempDir dir;
  write_bytes(dir.path() / "images", images_bytes());
  write_gzip(dir.path() / "images.gz", images_bytes());
  ASSERT_NE(testing::read_bytes(dir.path() / "images.gz"), images_bytes());  // really compressed
  const IdxArray raw = read_idx(dir.path() / "images");
  const IdxArray compressed = read_idx(dir.path() / "images.gz");
  EXPECT_EQ(raw.dims, (std::vector<std::uint32_t>{3, 4, 4}));
  EXPECT_EQ(raw.values, image_values());
  EXPECT_EQ(compressed.dims, raw.dims);
  EXPECT_EQ(compressed.values, raw.values);
}

TEST(ReadIdx, MissingFileIsAnIoErrorNamingIt) {
  const TempDir dir;
  EXPECT_TRUE(throws_with<IoError>([&] { read_idx(dir.path() / "absent-idx1-ubyte.gz"); },
                                   {"absent-idx1-ubyte.gz", "cannot open"}));
}

TEST(ReadIdx, ContentErrorsNameTheFile) {
  const TempDir dir;
  write_gzip(dir.path() / "cut-images.gz", images_bytes().substr(0, 30));
  EXPECT_TRUE(throws_with<FormatError>([&] { read_idx(dir.path() / "cut-images.gz"); },
                                       {"cut-images.gz", "truncated data"}));
}

TEST(ReadIdx, TruncatedGzipStreamIsAFormatError) {
  const TempDir dir;
  write_gzip(dir.path() / "full.gz", images_bytes());
  const std::string packed = testing::read_bytes(dir.path() / "full.gz");
  write_bytes(dir.path() / "cut.gz", packed.substr(0, packed.size() - 12));
  EXPECT_TRUE(throws_with<FormatError>([&] { read_idx(dir.path() / "cut.gz"); },
                                       {"cut.gz", "truncated gzip"}));
}

TEST(ReadIdx, CorruptGzipStreamIsAFormatError) {
  const TempDir dir;
  write_gzip(dir.path() / "full.gz", images_bytes());
  std::string packed = testing::read_bytes(dir.path() / "full.gz");
  packed[packed.size() - 6] = static_cast<char>(packed[packed.size() - 6] ^ 0x5a);  // CRC-32
  write_bytes(dir.path() / "corrupt.gz", packed);
  EXPECT_TRUE(throws_with<FormatError>([&] { read_idx(dir.path() / "corrupt.gz"); },
                                       {"corrupt.gz", "corrupt gzip"}));
}

TEST(ReadGzipOrRaw, StopsAtTheDecompressedSizeCap) {
  const TempDir dir;
  const std::string zeros(100000, '\0');
  write_gzip(dir.path() / "bomb.gz", zeros);
  ASSERT_LT(testing::read_bytes(dir.path() / "bomb.gz").size(), 1000u);
  EXPECT_EQ(read_gzip_or_raw(dir.path() / "bomb.gz", 100000), zeros);
  EXPECT_TRUE(throws_with<FormatError>([&] { read_gzip_or_raw(dir.path() / "bomb.gz", 99999); },
                                       {"bomb.gz", "at most 99999 bytes"}));
}

TEST(ReadGzipOrRaw, ReadsFilesLargerThanOneChunk) {
  const TempDir dir;
  std::string bytes(3'000'001, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 251);
  write_gzip(dir.path() / "big.gz", bytes);
  write_bytes(dir.path() / "big", bytes);
  EXPECT_EQ(read_gzip_or_raw(dir.path() / "big.gz"), bytes);
  EXPECT_EQ(read_gzip_or_raw(dir.path() / "big"), bytes);
}

class ReadIdxDatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_gzip(images_, images_bytes());
    write_bytes(labels_, labels_bytes());
  }
  TempDir dir_;
  std::filesystem::path images_ = dir_.path() / "train-images-idx3-ubyte.gz";
  std::filesystem::path labels_ = dir_.path() / "train-labels-idx1-ubyte";
};

TEST_F(ReadIdxDatasetTest, ScalesPixelsToUnitRangeOneImagePerRow) {
  const Dataset data = read_idx_dataset(images_, labels_);
  ASSERT_EQ(data.size(), 3u);
  ASSERT_EQ(data.dim(), 16u);
  EXPECT_EQ(data.num_classes, 10);
  EXPECT_EQ(data.labels, (std::vector<std::int32_t>{7, 0, 9}));
  const auto values = image_values();
  for (Eigen::Index row = 0; row < 3; ++row) {
    for (Eigen::Index col = 0; col < 16; ++col) {
      EXPECT_FLOAT_EQ(data.features(row, col),
                      values[static_cast<std::size_t>(row * 16 + col)] / 255.0f);
    }
  }
  EXPECT_EQ(data.features(1, 5), 15.0f / 255.0f);
  EXPECT_EQ(data.features(2, 15), 1.0f);
  EXPECT_EQ(data.features(0, 0), 0.0f);
}

TEST_F(ReadIdxDatasetTest, RejectsLabelsThatAreNotOneDimensional) {
  write_gzip(dir_.path() / "train-labels-idx1-ubyte.gz", images_bytes());
  EXPECT_TRUE(throws_with<FormatError>(
      [&] { read_idx_dataset(images_, dir_.path() / "train-labels-idx1-ubyte.gz"); },
      {"train-labels-idx1-ubyte.gz: expected magic 0x00000801 (labels), found 0x00000803"}));
}

TEST_F(ReadIdxDatasetTest, RejectsImagesThatAreNotThreeDimensional) {
  EXPECT_TRUE(throws_with<FormatError>(
      [&] { read_idx_dataset(labels_, labels_); },
      {"train-labels-idx1-ubyte: expected magic 0x00000803 (images), found 0x00000801"}));
}

TEST_F(ReadIdxDatasetTest, RejectsALabelCountOtherThanTheImageCount) {
  write_bytes(labels_, make_idx({2}, {1, 2}));
  EXPECT_TRUE(throws_with<FormatError>(
      [&] { read_idx_dataset(images_, labels_); },
      {"train-labels-idx1-ubyte", "train-images-idx3-ubyte.gz", "expected 3 labels", "found 2"}));
}

TEST_F(ReadIdxDatasetTest, RejectsALabelOfTenOrMore) {
  write_bytes(labels_, make_idx({3}, {1, 10, 2}));
  EXPECT_TRUE(
      throws_with<FormatError>([&] { read_idx_dataset(images_, labels_); },
                               {"train-labels-idx1-ubyte", "label 1", "[0, 10)", "found 10"}));
}

TEST_F(ReadIdxDatasetTest, RejectsImagesOfNoPixels) {
  write_bytes(images_, make_idx({3, 0, 4}, {}));
  EXPECT_TRUE(throws_with<FormatError>([&] { read_idx_dataset(images_, labels_); },
                                       {"train-images-idx3-ubyte.gz", "at least 1 pixel"}));
}

TEST_F(ReadIdxDatasetTest, MissingLabelsFileIsAnIoError) {
  EXPECT_TRUE(throws_with<IoError>(
      [&] { read_idx_dataset(images_, dir_.path() / "none-idx1-ubyte"); }, {"none-idx1-ubyte"}));
}

TEST(FashionMnist, InstalledTrainingFileHas60000LabelledImages) {
  const std::filesystem::path dir = "/usr/share/datasets/fashion-mnist";
  const Dataset data =
      read_idx_dataset(dir / "train-images-idx3-ubyte.gz", dir / "train-labels-idx1-ubyte.gz");
  ASSERT_EQ(data.size(), 60000u);
  ASSERT_EQ(data.dim(), 784u);
  EXPECT_EQ(data.num_classes, 10);
  std::vector<int> per_class(10, 0);
  for (const std::int32_t label : data.labels) {
    ASSERT_GE(label, 0);
    ASSERT_LT(label, 10);
    ++per_class[static_cast<std::size_t>(label)];
  }
  // Fashion-MNIST is balanced: 6000 training images of each class.
  for (const int count : per_class) EXPECT_EQ(count, 6000);
  EXPECT_EQ(data.features.minCoeff(), 0.0f);
  EXPECT_EQ(data.features.maxCoeff(), 1.0f);
}

}  // namespace
}  // namespace descent

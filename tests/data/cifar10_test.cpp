// CIFAR-10 binary batches: record layout, scaling, concatenation and errors.
#include "descent/data/cifar10.hpp"

#include <gtest/gtest.h>

#include <array>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

namespace descent {
namespace {

using testing::TempDir;
using testing::throws_with;
using testing::write_bytes;

constexpr std::size_t kRecord = 3073;

// A record whose pixel p is (p + shift) mod 256.
std::string record(std::uint8_t label, int shift) {
  std::string bytes(kRecord, '\0');
  bytes[0] = static_cast<char>(label);
  for (std::size_t p = 0; p < 3072; ++p) {
    bytes[1 + p] = static_cast<char>((static_cast<int>(p) + shift) % 256);
  }
  return bytes;
}

TEST(ParseCifar10, ReadsLabelsAndScaledPixelsInStoredOrder) {
  const Dataset data = parse_cifar10(record(3, 0) + record(9, 100), "batch.bin");
  ASSERT_EQ(data.size(), 2u);
  ASSERT_EQ(data.dim(), 3072u);
  EXPECT_EQ(data.num_classes, 10);
  EXPECT_EQ(data.labels, (std::vector<std::int32_t>{3, 9}));
  for (Eigen::Index p = 0; p < 3072; ++p) {
    ASSERT_EQ(data.features(0, p), static_cast<float>(p % 256) / 255.0f);
    ASSERT_EQ(data.features(1, p), static_cast<float>((p + 100) % 256) / 255.0f);
  }
  EXPECT_EQ(data.features(0, 255), 1.0f);
  EXPECT_EQ(data.features(0, 1024), 0.0f);  // first green pixel
}

TEST(ParseCifar10, RejectsALengthThatIsNotWholeRecords) {
  const std::string bytes = record(1, 0) + "abc";
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_cifar10(bytes, "odd.bin"); },
                                       {"odd.bin", "multiple of 3073", "3076", "3 bytes over"}));
}

TEST(ParseCifar10, RejectsEmptyInput) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_cifar10("", "empty.bin"); },
                                       {"empty.bin", "found 0 bytes"}));
}

TEST(ParseCifar10, RejectsALabelOfTenOrMore) {
  const std::string bytes = record(0, 0) + record(10, 0);
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_cifar10(bytes, "labels.bin"); },
                                       {"labels.bin", "record 1", "[0, 10)", "found 10"}));
}

TEST(ReadCifar10, ConcatenatesFilesInOrder) {
  const TempDir dir;
  write_bytes(dir.path() / "a.bin", record(1, 0) + record(2, 1));
  write_bytes(dir.path() / "b.bin", record(5, 7));
  const std::array<std::filesystem::path, 2> files = {dir.path() / "b.bin", dir.path() / "a.bin"};
  const Dataset data = read_cifar10(files);
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data.labels, (std::vector<std::int32_t>{5, 1, 2}));
  EXPECT_EQ(data.features(0, 0), 7.0f / 255.0f);
  EXPECT_EQ(data.features(1, 0), 0.0f);
  EXPECT_EQ(data.features(2, 0), 1.0f / 255.0f);
  EXPECT_EQ(data.features(2, 3071), static_cast<float>((3071 + 1) % 256) / 255.0f);
}

TEST(ReadCifar10, ErrorsNameTheFileAtFault) {
  const TempDir dir;
  write_bytes(dir.path() / "good.bin", record(1, 0));
  write_bytes(dir.path() / "bad.bin", record(1, 0).substr(1));
  const std::array<std::filesystem::path, 2> files = {dir.path() / "good.bin",
                                                      dir.path() / "bad.bin"};
  EXPECT_TRUE(throws_with<FormatError>([&] { read_cifar10(files); }, {"bad.bin", "3072 bytes"}));
}

TEST(ReadCifar10, MissingFileIsAnIoError) {
  const TempDir dir;
  const std::array<std::filesystem::path, 1> files = {dir.path() / "data_batch_9.bin"};
  EXPECT_TRUE(throws_with<IoError>([&] { read_cifar10(files); }, {"data_batch_9.bin"}));
}

TEST(ReadCifar10, NoFilesIsAConfigError) {
  EXPECT_TRUE(throws_with<ConfigError>([] { read_cifar10({}); }, {"at least one"}));
}

}  // namespace
}  // namespace descent

// CRC-32C against published test vectors, its TFRecord mask, and the framing.
#include "descent/core/crc32c.hpp"

#include <gtest/gtest.h>

#include <string>

#include "descent/core/tfrecord.hpp"

namespace descent {
namespace {

TEST(Crc32cTest, MatchesRfc3720Vectors) {
  // RFC 3720, appendix B.4; the CRC bytes there are the value's bytes least
  // significant first ("aa 36 91 8a" is 0x8a9136aa).
  std::string increasing;
  std::string decreasing;
  for (int i = 0; i < 32; ++i) {
    increasing += static_cast<char>(i);
    decreasing += static_cast<char>(31 - i);
  }
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(crc32c(std::string(32, '\xff')), 0x62A8AB43u);
  EXPECT_EQ(crc32c(increasing), 0x46DD794Eu);
  EXPECT_EQ(crc32c(decreasing), 0x113FDB5Cu);
  // The check value of CRC-32/ISCSI in Williams' parameter model (the CRC
  // catalogue): the CRC of "123456789".
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
}

TEST(Crc32cTest, MaskRotatesRightBy15AndAddsTheConstant) {
  // CRC("") = 0: the mask is the constant alone.
  EXPECT_EQ(masked_crc32c(""), 0xa282ead8u);
  // 0x8a9136aa rotated right by 15 is 0x6d551522; plus 0xa282ead8 modulo 2^32
  // is 0x0fd7fffa.
  EXPECT_EQ(masked_crc32c(std::string(32, '\0')), 0x0FD7FFFAu);
}

TEST(Crc32cTest, TfRecordFramesDataWithLengthAndChecksums) {
  std::string file;
  append_tfrecord(file, "abc");
  ASSERT_EQ(file.size(), 8u + 4u + 3u + 4u);
  EXPECT_EQ(file.substr(0, 8), std::string("\x03\0\0\0\0\0\0\0", 8));
  const auto u32_at = [&](std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(file[at + i]);
    return value;
  };
  EXPECT_EQ(u32_at(8), masked_crc32c(file.substr(0, 8)));
  EXPECT_EQ(file.substr(12, 3), "abc");
  EXPECT_EQ(u32_at(15), masked_crc32c("abc"));
}

}  // namespace
}  // namespace descent

#include "descent/core/bytes.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace descent {
namespace {

TEST(Bytes, RoundTripOfScalarsStringsAndArrays) {
  ByteWriter out;
  out.put<std::int32_t>(-5);
  out.put<double>(0.1);
  out.put_string("hello");
  const std::vector<float> values = {1.5f, -2.0f, 3.25f};
  out.put_array<float>(values);
  ByteReader in(out.bytes(), "test");
  EXPECT_EQ(in.get<std::int32_t>("a"), -5);
  EXPECT_EQ(in.get<double>("b"), 0.1);
  EXPECT_EQ(in.get_string("c"), "hello");
  EXPECT_EQ(in.get_array<float>("d"), values);
  EXPECT_TRUE(in.at_end());
}

TEST(Bytes, TruncatedInputNamesTheField) {
  ByteWriter out;
  out.put<std::int32_t>(1);
  const std::string bytes = out.bytes().substr(0, 2);
  ByteReader in(bytes, "ckpt.bin");
  try {
    in.get<std::int32_t>("epoch");
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("ckpt.bin"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("epoch"), std::string::npos);
  }
}

TEST(Bytes, ArrayLengthBeyondTheDataIsRejectedBeforeAllocating) {
  ByteWriter out;
  out.put<std::uint64_t>(1ull << 60);
  ByteReader in(out.bytes(), "x");
  EXPECT_THROW(in.get_array<float>("params"), FormatError);
}

TEST(Bytes, GetIntoChecksTheLength) {
  ByteWriter out;
  const std::vector<float> values = {1, 2, 3};
  out.put_array<float>(values);
  std::vector<float> wrong(4);
  ByteReader in(out.bytes(), "x");
  EXPECT_THROW(in.get_into<float>(wrong, "params"), FormatError);
  std::vector<float> right(3);
  ByteReader again(out.bytes(), "x");
  again.get_into<float>(right, "params");
  EXPECT_EQ(right, values);
}

}  // namespace
}  // namespace descent

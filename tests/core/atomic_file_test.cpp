#include "descent/core/atomic_file.hpp"

#include <gtest/gtest.h>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

TEST(AtomicFile, WritesAndReplacesWholeFilesWithNoTempLeft) {
  testing::TempDir dir;
  const auto path = dir.path() / "a.json";
  write_file_atomic(path, "first");
  EXPECT_EQ(read_file(path), "first");
  write_file_atomic(path, "second, longer");
  EXPECT_EQ(read_file(path), "second, longer");
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
}

TEST(AtomicFile, ErrorsNameTheFile) {
  testing::TempDir dir;
  const auto missing = dir.path() / "no" / "such" / "file";
  try {
    write_file_atomic(missing, "x");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/file"), std::string::npos);
  }
  EXPECT_THROW(read_file(missing), IoError);
}

TEST(Text, ShortestRoundTrips) {
  for (double x : {0.1, 1.0 / 3.0, 5e-3, 123456.789, -2.5e-300}) {
    EXPECT_EQ(std::stod(shortest(x)), x);
  }
  EXPECT_EQ(shortest(0.5), "0.5");
  EXPECT_EQ(std::stof(shortest(0.1f)), 0.1f);
}

TEST(Text, PercentHasTwoDecimals) {
  EXPECT_EQ(percent(0.8407), "84.07%");
  EXPECT_EQ(percent(1.0), "100.00%");
  EXPECT_EQ(percent(0.000049), "0.00%");
}

}  // namespace
}  // namespace descent

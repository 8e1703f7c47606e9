// CSV data sets: values as written, header and line-ending rules, and errors
// that name the file, line and field.
#include "descent/data/csv.hpp"

#include <gtest/gtest.h>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

namespace descent {
namespace {

using testing::TempDir;
using testing::throws_with;

TEST(ParseCsv, ReadsLabelsAndFeaturesAsWritten) {
  const Dataset data = parse_csv("1,0.5,-2\n0,3e2,0.125\n4,7,-0\n", "d.csv");
  ASSERT_EQ(data.size(), 3u);
  ASSERT_EQ(data.dim(), 2u);
  EXPECT_EQ(data.labels, (std::vector<std::int32_t>{1, 0, 4}));
  EXPECT_EQ(data.num_classes, 5);
  EXPECT_EQ(data.features(0, 0), 0.5f);
  EXPECT_EQ(data.features(0, 1), -2.0f);
  EXPECT_EQ(data.features(1, 0), 300.0f);
  EXPECT_EQ(data.features(1, 1), 0.125f);
  EXPECT_EQ(data.features(2, 0), 7.0f);
}

TEST(ParseCsv, ReadsDecimalsToTheNearestFloat) {
  const Dataset data = parse_csv("0,0.1,3.14159265358979\n", "d.csv");
  EXPECT_EQ(data.features(0, 0), 0.1f);
  EXPECT_EQ(data.features(0, 1), 3.14159265358979f);
}

TEST(ParseCsv, SkipsAHeaderLine) {
  const Dataset data = parse_csv("label,x,y\n2,1,2\n", "h.csv");
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data.labels[0], 2);
  EXPECT_EQ(data.features(0, 1), 2.0f);
}

TEST(ParseCsv, AcceptsCrlfSpacesAndTrailingBlankLinesWithoutFinalNewline) {
  const Dataset data = parse_csv("label, a\r\n0, 1.5\r\n1 ,2\r\n\r\n\n  \n", "w.csv");
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data.features(0, 0), 1.5f);
  EXPECT_EQ(data.features(1, 0), 2.0f);
  EXPECT_EQ(parse_csv("3,4", "n.csv").features(0, 0), 4.0f);
}

TEST(ParseCsv, RejectsRowsOfDifferentLengths) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1,2\n1,2,3\n1,2\n", "r.csv"); },
                                       {"r.csv", "line 3", "expected 3 fields", "found 2"}));
}

TEST(ParseCsv, RejectsAHeaderOfAnotherLength) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("label,x\n0,1,2\n", "h.csv"); },
                                       {"h.csv", "line 1", "3 fields", "found 2"}));
}

TEST(ParseCsv, RejectsAFeatureThatIsNotANumber) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1,2\n1,2,x7\n", "f.csv"); },
                                       {"f.csv", "line 2, field 3", "found 'x7'"}));
}

TEST(ParseCsv, RejectsNonFiniteFeatures) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1\n1,nan\n", "f.csv"); },
                                       {"f.csv", "line 2, field 2", "finite"}));
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1\n1,1e99\n", "f.csv"); },
                                       {"f.csv", "line 2, field 2", "'1e99'"}));
}

TEST(ParseCsv, RejectsALabelThatIsNotANonNegativeInteger) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1\n-1,2\n", "l.csv"); },
                                       {"l.csv", "line 2, field 1", "found '-1'"}));
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1\n1.5,2\n", "l.csv"); },
                                       {"l.csv", "line 2, field 1", "found '1.5'"}));
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1\n99999999999,2\n", "l.csv"); },
                                       {"l.csv", "line 2, field 1", "[0, 65536)"}));
}

TEST(ParseCsv, RejectsABlankLineBeforeMoreData) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0,1\n\n1,2\n", "b.csv"); },
                                       {"b.csv", "line 2", "blank line"}));
}

TEST(ParseCsv, RejectsRowsWithoutFeatures) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("0\n1\n", "one.csv"); },
                                       {"one.csv", "line 1", "at least one feature"}));
}

TEST(ParseCsv, RejectsAFileWithoutDataRows) {
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("label,x\n\n", "e.csv"); },
                                       {"e.csv", "at least one data row"}));
  EXPECT_TRUE(throws_with<FormatError>([] { parse_csv("", "e.csv"); }, {"e.csv", "data row"}));
}

TEST(ParseCsv, QuotesOddFieldsPrintablyOnOneLine) {
  const std::string text = "0,1\n1,\x01" + std::string(100, 'z') + "\n";
  EXPECT_TRUE(throws_with<FormatError>([&] { parse_csv(text, "q.csv"); },
                                       {"q.csv", "found '?zzz", "...'"}));
}

TEST(ReadCsv, ReadsAFileAndNamesItInErrors) {
  const TempDir dir;
  testing::write_bytes(dir.path() / "train.csv", "y,a,b\n1,2,3\n0,4,5\n");
  const Dataset data = read_csv(dir.path() / "train.csv");
  EXPECT_EQ(data.size(), 2u);
  EXPECT_EQ(data.num_classes, 2);
  EXPECT_EQ(data.features(1, 1), 5.0f);
  testing::write_bytes(dir.path() / "bad.csv", "1,2\n0,x\n");
  EXPECT_TRUE(throws_with<FormatError>([&] { read_csv(dir.path() / "bad.csv"); },
                                       {(dir.path() / "bad.csv").string(), "line 2, field 2"}));
  EXPECT_TRUE(throws_with<IoError>([&] { read_csv(dir.path() / "none.csv"); }, {"none.csv"}));
}

}  // namespace
}  // namespace descent

// `descent lr-find` as a user runs it: the files it writes, the suggestion it
// prints, and errors as one line.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

class LrFindCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 700, 200); }

  Outcome run(const std::string& args) { return testing::run_descent(args, work_.path()); }

  std::string base() const {
    return "lr-find --data-dir " + data_.path().string() +
           " --validation-size 100 --hidden 16 --batch-size 20";
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(LrFindCommandTest, WritesTheTestAndPrintsTheSuggestion) {
  const fs::path dir = work_.path() / "find";
  const Outcome o =
      run(base() + " --optimizer adam --start-lr 1e-5 --end-lr 1 --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto json = nlohmann::json::parse(read_file(dir / "lr_find.json"));
  EXPECT_EQ(json["optimizer"], "adam");
  EXPECT_EQ(json["start_lr"], 1e-5);
  EXPECT_EQ(json["end_lr"], 1);
  const auto& lrs = json["lr"];
  // One epoch: 600 training samples in batches of 20, unless the loss blew up first.
  ASSERT_FALSE(lrs.empty());
  EXPECT_LE(lrs.size(), 30u);
  if (!json["stopped_early"].get<bool>()) {
    EXPECT_EQ(lrs.size(), 30u);
  }
  EXPECT_EQ(lrs[0], 1e-5);
  EXPECT_EQ(json["loss"].size(), lrs.size());
  EXPECT_EQ(json["smoothed"].size(), lrs.size());
  const double min_loss_lr = json["min_loss_lr"];
  EXPECT_EQ(json["suggested_lr"].get<double>(), min_loss_lr / 10);
  std::size_t at = 0;
  for (std::size_t i = 1; i < lrs.size(); ++i) {
    if (json["smoothed"][i].get<double>() < json["smoothed"][at].get<double>()) at = i;
  }
  EXPECT_EQ(lrs[at], min_loss_lr);

  // The CSV: a header and a row per step, the same numbers.
  std::istringstream csv(read_file(dir / "lr_find.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "step,lr,loss,smoothed");
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    std::stringstream fields(line);
    std::string step, lr;
    std::getline(fields, step, ',');
    std::getline(fields, lr, ',');
    EXPECT_EQ(std::stoul(step), rows + 1);
    EXPECT_EQ(std::stod(lr), lrs[rows].get<double>());
    ++rows;
  }
  EXPECT_EQ(rows, lrs.size());

  // The suggestion on stdout, and where the files are.
  std::ostringstream suggested;
  suggested.precision(3);
  suggested << "suggested lr " << json["suggested_lr"].get<double>();
  EXPECT_NE(o.out.find(suggested.str()), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("adam"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(dir.string()), std::string::npos) << o.out;
}

TEST_F(LrFindCommandTest, StepsAndSettingsReachTheTest) {
  const fs::path dir = work_.path() / "find";
  const Outcome o = run(base() + " --optimizer sgd --steps 12 --end-lr 0.1 --stop-factor 100 " +
                        "--smoothing 0.5 --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto json = nlohmann::json::parse(read_file(dir / "lr_find.json"));
  ASSERT_EQ(json["lr"].size(), 12u);
  EXPECT_DOUBLE_EQ(json["lr"][11].get<double>(), 0.1);
  // smoothing 0.5: the second smoothed value weighs the two losses 1:2.
  const double l0 = json["loss"][0], l1 = json["loss"][1];
  EXPECT_DOUBLE_EQ(json["smoothed"][1].get<double>(), (0.25 * l0 + 0.5 * l1) / 0.75);
}

TEST_F(LrFindCommandTest, BadSettingsAreOneLineErrorsNamingThem) {
  const std::string out = " --out " + (work_.path() / "bad").string();
  expect_one_line_error(run(base() + " --start-lr 0" + out), "start-lr");
  expect_one_line_error(run(base() + " --end-lr 1e-9" + out), "end-lr");
  expect_one_line_error(run(base() + " --steps 1" + out), "steps");
  expect_one_line_error(run(base() + " --smoothing 1" + out), "smoothing");
  expect_one_line_error(run(base() + " --stop-factor 0.5" + out), "stop-factor");
  expect_one_line_error(run(base() + " --optimizer nope" + out), "nope");
  EXPECT_FALSE(fs::exists(work_.path() / "bad" / "lr_find.json"));
}

}  // namespace
}  // namespace descent

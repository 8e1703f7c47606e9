// metrics.csv written for two runs, read back, and equal to their histories.
#include "descent/experiment/metrics_csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "data/test_files.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "support/epoch_records.hpp"

namespace descent {
namespace {

using testing::throws_with;

// `epochs` epochs of 3 iterations, and `extra` iterations of an epoch in progress.
History history_of(std::size_t epochs, std::size_t extra, float scale) {
  History h;
  for (std::size_t i = 0; i < 3 * epochs + extra; ++i) {
    h.loss.push_back(scale * 2.3f / static_cast<float>(i + 1));
    h.learning_rate.push_back(0.1f * scale / static_cast<float>(1 + i / 3));
    h.passes.push_back(static_cast<double>(i + 1) / 3);
  }
  for (std::size_t e = 0; e < epochs; ++e) {
    EpochRecord r;
    r.epoch = e + 1;
    r.iteration = 3 * (e + 1);
    r.train_loss = 1.0 / 3.0 + static_cast<double>(e);
    r.train_accuracy = 0.1 * static_cast<double>(e + 1);
    r.val_loss = 2.0 / 3.0 * scale;
    r.val_accuracy = 0.0625 * static_cast<double>(e + 1);
    r.seconds = 1.1 * static_cast<double>(e + 1);
    h.epochs.push_back(r);
  }
  return h;
}

TEST(MetricsCsvTest, ReadBackEqualsEachRunsHistory) {
  // Run a averages its weights from epoch 2; its loss diverges at the last
  // iteration. Run b is interrupted two iterations into its third epoch.
  History a = history_of(3, 0, 1.0f);
  a.epochs[1].avg_val_loss = 0.7;
  a.epochs[1].avg_val_accuracy = 0.55;
  a.epochs[2].avg_val_loss = 0.6;
  a.epochs[2].avg_val_accuracy = 0.65;
  a.loss.back() = std::numeric_limits<float>::infinity();
  const History b = history_of(2, 2, 0.5f);

  testing::TempDir dir;
  const std::vector<RunHistory> runs = {{"sgd-lr0.1-s0", a}, {"adam-lr0.001-s1", b}};
  write_file_atomic(dir.path() / "metrics.csv", metrics_csv(runs));
  const std::vector<MetricRow> rows = read_metrics_csv(dir.path() / "metrics.csv");

  // Rebuild each history from the rows.
  std::map<std::string, History> read;
  std::map<std::string, std::map<std::size_t, std::size_t>> epoch_of_step;
  for (const MetricRow& row : rows) {
    History& h = read[row.run];
    const Scalar& s = row.scalar;
    if (s.metric == "loss") {
      EXPECT_TRUE(std::isnan(s.wall_time)) << "iteration rows have no time";
      ASSERT_EQ(h.loss.size() + 1, s.step) << row.run;
      h.loss.push_back(static_cast<float>(s.value));
      epoch_of_step[row.run][s.step] = s.epoch;
      continue;
    }
    if (s.metric == "lr") {
      // Rows where the rate changes: the steps in between carry the last one.
      EXPECT_TRUE(std::isnan(s.wall_time)) << "iteration rows have no time";
      ASSERT_LT(h.learning_rate.size(), s.step) << row.run;
      ASSERT_TRUE(s.step == 1 || !h.learning_rate.empty()) << "the first step has its rate";
      while (h.learning_rate.size() + 1 < s.step) {
        h.learning_rate.push_back(h.learning_rate.back());
      }
      h.learning_rate.push_back(static_cast<float>(s.value));
      continue;
    }
    if (h.epochs.size() < s.epoch) {
      h.epochs.emplace_back();
      h.epochs.back().epoch = s.epoch;
      h.epochs.back().iteration = s.step;
      h.epochs.back().seconds = s.wall_time;
    }
    EpochRecord& e = h.epochs.back();
    ASSERT_EQ(e.epoch, s.epoch);
    EXPECT_EQ(e.iteration, s.step);
    if (s.metric == "train_loss") e.train_loss = s.value;
    if (s.metric == "train_acc") e.train_accuracy = s.value;
    if (s.metric == "val_loss") e.val_loss = s.value;
    if (s.metric == "val_acc") e.val_accuracy = s.value;
    if (s.metric == "avg_val_loss") e.avg_val_loss = s.value;
    if (s.metric == "avg_val_acc") e.avg_val_accuracy = s.value;
  }
  ASSERT_EQ(read.size(), 2u);
  for (const RunHistory& run : runs) {
    const History& original = run.history;
    const History& back = read.at(std::string(run.run));
    EXPECT_EQ(back.loss, original.loss) << run.run;  // float for float, inf included
    EXPECT_EQ(back.learning_rate, original.learning_rate) << run.run;
    testing::expect_same_epochs(original.epochs, back.epochs);
  }
  // Steps 1-3 are epoch 1, 4-6 epoch 2; b's steps 7 and 8 are in epoch 3.
  EXPECT_EQ(epoch_of_step["sgd-lr0.1-s0"][3], 1u);
  EXPECT_EQ(epoch_of_step["sgd-lr0.1-s0"][4], 2u);
  EXPECT_EQ(epoch_of_step["adam-lr0.001-s1"][8], 3u);
  // a: 9 losses, the rate at steps 1, 3, 4, 6, 7 and 9 (it changes every three
  // steps), 3 epochs x 4 and 2 averaged epochs x 2; b: 8 losses, the rate at
  // 1, 3, 4, 6, 7 and 8, and 2 epochs x 4.
  EXPECT_EQ(rows.size(), (9u + 6u + 12u + 4u) + (8u + 6u + 8u));
}

TEST(MetricsCsvTest, LongFormatColumnsAsDocumented) {
  const History h = history_of(1, 0, 1.0f);
  const std::vector<RunHistory> runs = {{"r", h}};
  const std::string text = metrics_csv(runs);
  EXPECT_EQ(text.substr(0, text.find('\n')), "run,step,epoch,wall_time,metric,value");
  EXPECT_NE(text.find("\nr,1,1,,loss,2.3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nr,3,1,1.1,val_acc,0.0625\n"), std::string::npos) << text;
}

TEST(MetricsCsvTest, RunNamesItCannotHoldAreRefused) {
  const History h = history_of(1, 0, 1.0f);
  for (const char* name : {"a,b", "say \"hi\"", "", "two\nlines"}) {
    const std::vector<RunHistory> runs = {{name, h}};
    EXPECT_TRUE(throws_with<ConfigError>([&] { metrics_csv(runs); }, {"run name"})) << name;
  }
}

TEST(MetricsCsvTest, MalformedFilesAreOneLineFormatErrors) {
  const std::string header = "run,step,epoch,wall_time,metric,value\n";
  const auto parse = [](const std::string& text) { return parse_metrics_csv(text, "m.csv"); };
  EXPECT_TRUE(throws_with<FormatError>([&] { parse(""); }, {"m.csv", "empty"}));
  EXPECT_TRUE(throws_with<FormatError>([&] { parse("run,step\n"); }, {"m.csv, line 1", "header"}));
  EXPECT_TRUE(throws_with<FormatError>([&] { parse(header + "r,x,1,,loss,1\n"); },
                                       {"m.csv, line 2", "field 'step'", "'x'"}));
  EXPECT_TRUE(throws_with<FormatError>([&] { parse(header + "r,1,1,,loss\n"); },
                                       {"line 2", "field 'value'", "missing"}));
  EXPECT_TRUE(throws_with<FormatError>([&] { parse(header + "r,1,1,,loss,1,2\n"); },
                                       {"line 2", "more than 6 fields"}));
  EXPECT_TRUE(throws_with<FormatError>([&] { parse(header + "r,1,1,soon,loss,1\n"); },
                                       {"field 'wall_time'", "'soon'"}));
  EXPECT_TRUE(throws_with<FormatError>([&] { parse(header + "r,1,1,,,1\n"); }, {"field 'metric'"}));
  EXPECT_TRUE(
      throws_with<FormatError>([&] { parse(header + "r,-1,1,,loss,1\n"); }, {"field 'step'"}));
  // A header alone is an empty table; CRLF line ends are read.
  EXPECT_TRUE(parse(header).empty());
  const std::vector<MetricRow> rows =
      parse("run,step,epoch,wall_time,metric,value\r\nr,2,1,0.5,val_acc,nan\r\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].scalar.wall_time, 0.5);
  EXPECT_TRUE(std::isnan(rows[0].scalar.value));
}

}  // namespace
}  // namespace descent

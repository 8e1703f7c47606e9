// The history's training seconds (evaluation excluded): its columns in
// history.csv and history.json, and its checkpoint layout, old and new.
#include "descent/train/history.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "support/epoch_records.hpp"

namespace descent {
namespace {

History two_epochs() {
  History h;
  for (int i = 0; i < 4; ++i) {
    h.loss.push_back(1.0f / static_cast<float>(i + 1));
    h.learning_rate.push_back(0.1f);
    h.passes.push_back((i + 1) / 2.0);
  }
  for (std::size_t e = 0; e < 2; ++e) {
    EpochRecord r;
    r.epoch = e + 1;
    r.iteration = 2 * (e + 1);
    r.learning_rate = 0.1;
    r.train_loss = 0.5 / static_cast<double>(e + 1);
    r.train_accuracy = 0.6 + 0.1 * static_cast<double>(e);
    r.val_loss = 0.7 / static_cast<double>(e + 1);
    r.val_accuracy = 0.55 + 0.1 * static_cast<double>(e);
    r.seconds = 1.5 * static_cast<double>(e + 1);
    r.train_seconds = 1.25 * static_cast<double>(e + 1);
    h.epochs.push_back(r);
  }
  h.epochs[1].avg_val_loss = 0.3;  // measured in the second epoch only
  h.epochs[1].avg_val_accuracy = 0.7;
  return h;
}

TEST(HistoryTest, TrainSecondsFollowSecondsInTheTables) {
  History h = two_epochs();
  h.epochs[1].train_seconds = std::numeric_limits<double>::quiet_NaN();
  const std::string csv = epochs_csv(h);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "epoch,iteration,lr,train_loss,train_acc,val_loss,val_acc,seconds,train_seconds");
  EXPECT_NE(csv.find(",1.5,1.25\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",3,\n"), std::string::npos) << "not measured: empty\n" << csv;

  // As history.json holds it: NaN is written as null.
  const nlohmann::json json = nlohmann::json::parse(to_json(h).dump());
  EXPECT_EQ(json["epochs"][0]["train_seconds"], 1.25);
  EXPECT_TRUE(json["epochs"][1]["train_seconds"].is_null());

  h.averaged = true;
  const std::string averaged = epochs_csv(h);
  EXPECT_NE(averaged.find(",seconds,train_seconds,avg_val_loss,avg_val_acc\n"), std::string::npos);
}

TEST(HistoryTest, CheckpointKeepsTrainSeconds) {
  const History h = two_epochs();
  ByteWriter out;
  h.save(out);
  out.put<std::uint64_t>(7);  // what the trainer saves next
  ByteReader in(out.bytes(), "checkpoint");
  History back;
  back.load(in);
  EXPECT_EQ(back.loss, h.loss);
  EXPECT_EQ(back.learning_rate, h.learning_rate);
  EXPECT_EQ(back.passes, h.passes);
  testing::expect_same_epochs(h.epochs, back.epochs);
  EXPECT_EQ(in.get<std::uint64_t>("next"), 7u);
  EXPECT_TRUE(in.at_end());
}

TEST(HistoryTest, CheckpointsWrittenBeforeTrainSecondsStillLoad) {
  // The layout before train_seconds: the three per-iteration arrays, then the
  // epochs as 80-byte records of ten 8-byte fields (epoch, iteration, lr,
  // train_loss, train_acc, val_loss, val_acc, seconds, avg_val_loss,
  // avg_val_acc), written here field by field.
  const History h = two_epochs();
  ByteWriter out;
  out.put_array<float>(h.loss);
  out.put_array<float>(h.learning_rate);
  out.put_array<double>(h.passes);
  out.put<std::uint64_t>(h.epochs.size());
  for (const EpochRecord& e : h.epochs) {
    out.put<std::uint64_t>(e.epoch);
    out.put<std::uint64_t>(e.iteration);
    for (double value : {e.learning_rate, e.train_loss, e.train_accuracy, e.val_loss,
                         e.val_accuracy, e.seconds, e.avg_val_loss, e.avg_val_accuracy}) {
      out.put<double>(value);
    }
  }
  out.put<std::uint64_t>(7);
  ByteReader in(out.bytes(), "old checkpoint");
  History back;
  back.load(in);
  EXPECT_EQ(back.loss, h.loss);
  // As written, less the training seconds the old layout did not hold.
  std::vector<EpochRecord> expected = h.epochs;
  for (EpochRecord& e : expected) e.train_seconds = std::numeric_limits<double>::quiet_NaN();
  testing::expect_same_epochs(expected, back.epochs);
  EXPECT_EQ(in.get<std::uint64_t>("next"), 7u);
  EXPECT_TRUE(in.at_end());
}

}  // namespace
}  // namespace descent

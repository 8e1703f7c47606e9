// TensorBoard event files read back by an independent reader: the TFRecord
// framing and its checksums checked here with a bit-by-bit CRC-32C, and the
// Event messages parsed by protobuf's own library from a .proto with
// TensorFlow's field numbers (tensorboard_event.proto). Every scalar must
// equal the History's value in float32.
#include "descent/experiment/tensorboard_events.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <utility>

#include "data/test_files.hpp"
#include "tensorboard_event.pb.h"

namespace descent {
namespace {

// CRC-32C one bit at a time, straight from the reflected polynomial
// 0x82F63B78 (RFC 3720, 12.1), independent of the library's table.
std::uint32_t crc32c_bitwise(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFF;
  for (unsigned char byte : bytes) {
    for (int bit = 0; bit < 8; ++bit) {
      const bool low = ((crc ^ (byte >> bit)) & 1) != 0;
      crc = (crc >> 1) ^ (low ? 0x82F63B78 : 0);
    }
  }
  return ~crc;
}

std::uint32_t masked(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8; }

std::uint64_t read_little_endian(std::string_view bytes, std::size_t n) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return value;
}

// The records of a TFRecord file, each checksum checked.
std::vector<std::string> read_records(std::string_view file) {
  std::vector<std::string> records;
  while (!file.empty()) {
    EXPECT_GE(file.size(), 12u);
    if (file.size() < 12) break;
    const std::uint64_t length = read_little_endian(file, 8);
    EXPECT_EQ(read_little_endian(file.substr(8), 4), masked(crc32c_bitwise(file.substr(0, 8))));
    EXPECT_GE(file.size(), 16 + length);
    if (file.size() < 16 + length) break;
    const std::string_view data = file.substr(12, length);
    EXPECT_EQ(read_little_endian(file.substr(12 + length), 4), masked(crc32c_bitwise(data)));
    records.emplace_back(data);
    file.remove_prefix(16 + length);
  }
  return records;
}

// Three epochs of four iterations, averaged weights measured from epoch 2,
// and a loss that diverged at the last iteration.
History sample_history() {
  History h;
  for (int i = 0; i < 12; ++i) {
    h.loss.push_back(2.3f * std::exp(-0.1f * static_cast<float>(i)));
    h.learning_rate.push_back(0.05f / static_cast<float>(1 + i / 4));
    h.passes.push_back((i + 1) / 4.0);
  }
  h.loss.back() = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t e = 0; e < 3; ++e) {
    EpochRecord r;
    r.epoch = e + 1;
    r.iteration = 4 * (e + 1);
    r.train_loss = 1.0 / 3.0 / static_cast<double>(e + 1);
    r.train_accuracy = 0.3 + 0.2 * static_cast<double>(e);
    r.val_loss = 0.7 / static_cast<double>(e + 1);
    r.val_accuracy = 0.29 + 0.2 * static_cast<double>(e);
    r.seconds = 0.75 * static_cast<double>(e + 1);
    if (e > 0) {
      r.avg_val_loss = 0.6 / static_cast<double>(e);
      r.avg_val_accuracy = 0.51 + 0.1 * static_cast<double>(e);
    }
    h.epochs.push_back(r);
  }
  return h;
}

TEST(TensorboardEventsTest, IndependentReaderFindsEveryScalarOfTheHistory) {
  const History history = sample_history();
  const double start = 1700000000.25;
  testing::TempDir dir;
  const std::filesystem::path path = write_tensorboard_events(dir.path(), history, start);

  std::array<char, 256> host{};
  ASSERT_EQ(gethostname(host.data(), host.size() - 1), 0);
  EXPECT_EQ(path.filename().string(), std::string("events.out.tfevents.1700000000.") + host.data());

  const std::vector<std::string> records = read_records(testing::read_bytes(path));
  ASSERT_EQ(records.size(), 1u + 12u);  // the version, then one event per step

  tensorboard_check::Event first;
  ASSERT_TRUE(first.ParseFromString(records[0]));
  EXPECT_EQ(first.file_version(), "brain.Event:2");
  EXPECT_EQ(first.wall_time(), start);

  // (step, tag) -> value, and the wall time of each step.
  std::map<std::pair<std::int64_t, std::string>, float> scalars;
  std::map<std::int64_t, double> wall_times;
  for (std::size_t k = 1; k < records.size(); ++k) {
    tensorboard_check::Event event;
    ASSERT_TRUE(event.ParseFromString(records[k])) << "record " << k;
    ASSERT_TRUE(event.has_summary()) << "record " << k;
    EXPECT_EQ(event.step(), static_cast<std::int64_t>(k)) << "steps in order";
    wall_times[event.step()] = event.wall_time();
    for (const auto& value : event.summary().value()) {
      ASSERT_TRUE(value.has_simple_value()) << value.tag();
      const bool added =
          scalars.emplace(std::pair(event.step(), value.tag()), value.simple_value()).second;
      EXPECT_TRUE(added) << "scalar twice: " << value.tag() << " at " << event.step();
    }
  }

  // Equal to float32 precision: the History's float exactly, its doubles as
  // rounded to float. NaN stays NaN.
  const auto expect_scalar = [&](std::int64_t step, const std::string& tag, double expected) {
    const auto it = scalars.find({step, tag});
    ASSERT_NE(it, scalars.end()) << tag << " at step " << step;
    const float want = static_cast<float>(expected);
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(it->second)) << tag << " at step " << step;
    } else {
      EXPECT_EQ(it->second, want) << tag << " at step " << step;
    }
  };
  std::size_t expected_count = 0;
  for (std::size_t i = 0; i < history.loss.size(); ++i) {
    const auto step = static_cast<std::int64_t>(i + 1);
    expect_scalar(step, "loss", history.loss[i]);
    ++expected_count;
    // The rate at the first and last step and on both sides of each change.
    const auto& lr = history.learning_rate;
    if (i == 0 || i + 1 == lr.size() || lr[i] != lr[i - 1] || lr[i] != lr[i + 1]) {
      expect_scalar(step, "lr", lr[i]);
      ++expected_count;
    } else {
      EXPECT_EQ(scalars.count({step, "lr"}), 0u) << "lr at step " << step << " is its neighbours'";
    }
    // Steps 1-4 are timed at the end of epoch 1, and so on.
    EXPECT_EQ(wall_times[step], start + history.epochs[i / 4].seconds) << "step " << step;
  }
  for (const EpochRecord& e : history.epochs) {
    const auto step = static_cast<std::int64_t>(e.iteration);
    expect_scalar(step, "train_loss", e.train_loss);
    expect_scalar(step, "train_acc", e.train_accuracy);
    expect_scalar(step, "val_loss", e.val_loss);
    expect_scalar(step, "val_acc", e.val_accuracy);
    expected_count += 4;
    if (!std::isnan(e.avg_val_loss)) {
      expect_scalar(step, "avg_val_loss", e.avg_val_loss);
      expect_scalar(step, "avg_val_acc", e.avg_val_accuracy);
      expected_count += 2;
    }
  }
  EXPECT_EQ(scalars.size(), expected_count) << "no scalar the History lacks";
}

TEST(TensorboardEventsTest, FirstRecordIsTensorFlowsVersionHeader) {
  // TensorFlow's event files open with a 24-byte record (wall_time, 9 bytes;
  // file_version "brain.Event:2", 15): length 0x18 and its masked CRC-32C,
  // the bytes 18 00 00 00 00 00 00 00 a3 7f 4b 22 that begin every such file.
  const std::string file = tensorboard_events(History{}, 1.5);
  const std::string expected_head = {0x18, 0, 0, 0, 0, 0, 0, 0, '\xa3', 0x7f, 0x4b, 0x22};
  EXPECT_EQ(file.substr(0, 12), expected_head);
  EXPECT_EQ(file.size(), 12u + 24u + 4u);  // an empty history: the header alone
}

TEST(TensorboardEventsTest, FileNameUsesTheWholeSecondsOfTheStart) {
  EXPECT_EQ(event_file_name(1700000000.9, "node7"), "events.out.tfevents.1700000000.node7");
}

}  // namespace
}  // namespace descent

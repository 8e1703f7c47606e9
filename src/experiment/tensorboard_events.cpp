#include "descent/experiment/tensorboard_events.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

#include "descent/core/atomic_file.hpp"
#include "descent/core/little_endian.hpp"
#include "descent/core/tfrecord.hpp"
#include "descent/experiment/history_scalars.hpp"

namespace descent {

namespace {

// Protobuf's wire format (protobuf.dev/programming-guides/encoding): a field
// is a key, (field_number << 3) | wire_type, as a varint, then its value.
enum WireType : std::uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// Base-128 varint: 7 bits per byte, least significant first, high bit set on
// every byte but the last.
void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

void put_key(std::string& out, std::uint32_t field, WireType type) {
  put_varint(out, (static_cast<std::uint64_t>(field) << 3) | type);
}

void put_bytes(std::string& out, std::uint32_t field, std::string_view bytes) {
  put_key(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out += bytes;
}

// Event fields 1 and 2; step 0 left out, as proto3 leaves out every field at
// its default (and as TensorFlow's version record has it).
std::string event_head(double wall_time, std::uint64_t step) {
  std::string event;
  put_key(event, 1, kFixed64);
  append_little_endian(event, std::bit_cast<std::uint64_t>(wall_time));
  if (step != 0) {
    put_key(event, 2, kVarint);
    put_varint(event, step);
  }
  return event;
}

// Summary.Value { tag = 1; simple_value = 2 }.
std::string summary_value(std::string_view tag, float value) {
  std::string message;
  put_bytes(message, 1, tag);
  put_key(message, 2, kFixed32);
  append_little_endian(message, std::bit_cast<std::uint32_t>(value));
  return message;
}

// Seconds at the end of the epoch that holds `step`: the first epoch that
// ends at or after it, else the last epoch (a run in progress), else 0.
double seconds_at(const History& history, std::size_t step) {
  const auto it = std::find_if(history.epochs.begin(), history.epochs.end(),
                               [step](const EpochRecord& e) { return e.iteration >= step; });
  if (it != history.epochs.end()) return it->seconds;
  return history.epochs.empty() ? 0.0 : history.epochs.back().seconds;
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "localhost";
  return name.data();
}

}  // namespace

std::string tensorboard_events(const History& history, double start_wall_time) {
  std::string file;
  std::string event = event_head(start_wall_time, 0);
  put_bytes(event, 3, "brain.Event:2");
  append_tfrecord(file, event);

  const std::vector<Scalar> scalars = history_scalars(history);
  for (std::size_t first = 0; first < scalars.size();) {
    const std::size_t step = scalars[first].step;
    std::string summary;
    for (; first < scalars.size() && scalars[first].step == step; ++first) {
      put_bytes(summary, 1,
                summary_value(scalars[first].metric, static_cast<float>(scalars[first].value)));
    }
    event = event_head(start_wall_time + seconds_at(history, step), step);
    put_bytes(event, 5, summary);
    append_tfrecord(file, event);
  }
  return file;
}

std::string event_file_name(double start_wall_time, std::string_view host) {
  return "events.out.tfevents." +
         std::to_string(static_cast<std::int64_t>(std::floor(start_wall_time))) + '.' +
         std::string(host);
}

std::filesystem::path write_tensorboard_events(const std::filesystem::path& dir,
                                               const History& history, double start_wall_time) {
  const std::filesystem::path path = dir / event_file_name(start_wall_time, host_name());
  write_file_atomic(path, tensorboard_events(history, start_wall_time));
  return path;
}

}  // namespace descent

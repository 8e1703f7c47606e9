// Little binary writer and reader for checkpoints and optimizer state.
// Values are written in the machine's byte order (checkpoints record it in
// their header); every read is bounds-checked and a short or inconsistent
// buffer is a FormatError that names the source and the field.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "descent/core/error.hpp"

namespace descent {

class ByteWriter {
 public:
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void put(const T& value) {
    const auto* p = reinterpret_cast<const char*>(&value);
    bytes_.append(p, sizeof(T));
  }
  void put_string(std::string_view text);
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void put_array(std::span<const T> values) {
    put<std::uint64_t>(values.size());
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
  }

  const std::string& bytes() const { return bytes_; }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  // `source` names the file or object being read, for error messages.
  ByteReader(std::string_view bytes, std::string source)
      : bytes_(bytes), source_(std::move(source)) {}

  template <typename T>
  requires std::is_trivially_copyable_v<T> T get(std::string_view field) {
    const T value = peek<T>(field);
    pos_ += sizeof(T);
    return value;
  }
  // The next value, left unread: for layouts that open with an optional tag.
  template <typename T>
  requires std::is_trivially_copyable_v<T> T peek(std::string_view field) const {
    need(sizeof(T), field);
    T value;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    return value;
  }
  std::string get_string(std::string_view field);
  template <typename T>
  requires std::is_trivially_copyable_v<T> std::vector<T> get_array(std::string_view field) {
    const auto n = get<std::uint64_t>(field);
    if (n > (bytes_.size() - pos_) / sizeof(T))
      fail(field, "length " + std::to_string(n) + " runs past the end");
    std::vector<T> values(n);
    if (n > 0) std::memcpy(values.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return values;
  }
  // Reads an array into `out`, whose size must match the stored length.
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void get_into(std::span<T> out, std::string_view field) {
    const auto n = get<std::uint64_t>(field);
    if (n != out.size()) {
      fail(field, "expected " + std::to_string(out.size()) + " values, found " + std::to_string(n));
    }
    need(n * sizeof(T), field);
    if (n > 0) std::memcpy(out.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
  }

  bool at_end() const { return pos_ == bytes_.size(); }
  const std::string& source() const { return source_; }
  [[noreturn]] void fail(std::string_view field, const std::string& what) const;

 private:
  void need(std::size_t n, std::string_view field) const;

  std::string_view bytes_;
  std::string source_;
  std::size_t pos_ = 0;
};

}  // namespace descent

// Appends an unsigned integer's bytes least significant first, whatever the
// machine's byte order: for file formats that fix it (TFRecord, protobuf).
#pragma once

#include <concepts>
#include <string>

namespace descent {

template <std::unsigned_integral T>
void append_little_endian(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

}  // namespace descent

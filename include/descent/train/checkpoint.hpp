// The checkpoint file: a header that identifies and protects a payload.
//   magic "DESCENT\x01"   8 bytes
//   version               u32 (kCheckpointVersion)
//   byte-order mark       u32 0x01020304, as written by this machine
//   payload length        u64
//   payload CRC-32        u32 (zlib's crc32)
//   payload               what the trainer saved: config, step, random
//                         states, parameters, optimizer state, history,
//                         averaged weights
// Written atomically; a file that is truncated, altered, of another version or
// byte order is a FormatError naming the file and what is wrong.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace descent {

inline constexpr std::uint32_t kCheckpointVersion = 2;

void write_checkpoint(const std::filesystem::path& path, std::string_view payload);
std::string read_checkpoint(const std::filesystem::path& path);

}  // namespace descent

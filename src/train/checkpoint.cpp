#include "descent/train/checkpoint.hpp"

#include <zlib.h>

#include <cstring>

#include "descent/core/atomic_file.hpp"
#include "descent/core/bytes.hpp"
#include "descent/core/error.hpp"

namespace descent {

namespace {

constexpr char kMagic[8] = {'D', 'E', 'S', 'C', 'E', 'N', 'T', '\x01'};
constexpr std::uint32_t kByteOrderMark = 0x01020304;

std::uint32_t crc_of(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes lengths as uInt: feed large payloads in pieces.
  constexpr std::size_t kPiece = 1u << 30;
  for (std::size_t pos = 0; pos < bytes.size(); pos += kPiece) {
    const std::size_t n = std::min(kPiece, bytes.size() - pos);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + pos), static_cast<uInt>(n));
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

void write_checkpoint(const std::filesystem::path& path, std::string_view payload) {
  ByteWriter out;
  for (char c : kMagic) out.put(c);
  out.put<std::uint32_t>(kCheckpointVersion);
  out.put<std::uint32_t>(kByteOrderMark);
  out.put<std::uint64_t>(payload.size());
  out.put<std::uint32_t>(crc_of(payload));
  std::string bytes = out.take();
  bytes.append(payload);
  write_file_atomic(path, bytes);
}

std::string read_checkpoint(const std::filesystem::path& path) {
  const std::string bytes = read_file(path);
  const std::string name = path.string();
  ByteReader in(bytes, name);
  char magic[8];
  for (char& c : magic) c = in.get<char>("magic");
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) {
    throw FormatError(name + ": not a descent checkpoint (wrong magic number)");
  }
  const auto version = in.get<std::uint32_t>("version");
  if (version != kCheckpointVersion) {
    throw FormatError(name + ": checkpoint version " + std::to_string(version) +
                      ", this descent reads version " + std::to_string(kCheckpointVersion));
  }
  if (in.get<std::uint32_t>("byte order") != kByteOrderMark) {
    throw FormatError(name + ": checkpoint written on a machine of another byte order");
  }
  const auto length = in.get<std::uint64_t>("payload length");
  const auto crc = in.get<std::uint32_t>("payload checksum");
  const std::size_t header = sizeof kMagic + 4 + 4 + 8 + 4;
  if (length != bytes.size() - header) {
    throw FormatError(name + ": checkpoint truncated or padded: header says " +
                      std::to_string(length) + " payload bytes, file has " +
                      std::to_string(bytes.size() - header));
  }
  std::string payload = bytes.substr(header);
  if (crc_of(payload) != crc) throw FormatError(name + ": checkpoint corrupt (checksum mismatch)");
  return payload;
}

}  // namespace descent

#include "descent/core/tfrecord.hpp"

#include <cstdint>

#include "descent/core/crc32c.hpp"
#include "descent/core/little_endian.hpp"

namespace descent {

void append_tfrecord(std::string& out, std::string_view data) {
  std::string length;
  append_little_endian<std::uint64_t>(length, data.size());
  out += length;
  append_little_endian(out, masked_crc32c(length));
  out += data;
  append_little_endian(out, masked_crc32c(data));
}

}  // namespace descent

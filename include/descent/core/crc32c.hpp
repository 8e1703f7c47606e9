// CRC-32C (Castagnoli): the checksum of iSCSI (RFC 3720, section 12.1, with
// its test vectors in appendix B.4) and of TFRecord files. Reflected, with
// polynomial 0x1EDC6F41 (0x82F63B78 bit-reversed), initial value and final
// XOR 0xFFFFFFFF.
#pragma once

#include <cstdint>
#include <string_view>

namespace descent {

std::uint32_t crc32c(std::string_view bytes);

// TFRecord's masked form, ((crc >> 15) | (crc << 17)) + 0xa282ead8, which
// keeps a CRC computed over data that holds CRCs from being trivial
// (tensorflow/tsl/lib/hash/crc32c.h).
std::uint32_t masked_crc32c(std::string_view bytes);

}  // namespace descent

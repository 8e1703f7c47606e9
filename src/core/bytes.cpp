#include "descent/core/bytes.hpp"

namespace descent {

void ByteWriter::put_string(std::string_view text) {
  put<std::uint64_t>(text.size());
  bytes_.append(text);
}

std::string ByteReader::get_string(std::string_view field) {
  const auto n = get<std::uint64_t>(field);
  need(n, field);
  std::string text(bytes_.substr(pos_, n));
  pos_ += n;
  return text;
}

void ByteReader::need(std::size_t n, std::string_view field) const {
  if (n > bytes_.size() - pos_) fail(field, "truncated");
}

void ByteReader::fail(std::string_view field, const std::string& what) const {
  throw FormatError(source_ + ": field '" + std::string(field) + "': " + what);
}

}  // namespace descent

// Whole-file reads through zlib, which passes raw files through unchanged and
// inflates gzip ones. The output is capped, so a small file that inflates
// without end is an error rather than an exhausted memory.
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include "descent/core/error.hpp"
#include "descent/data/idx.hpp"

namespace descent {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
constexpr unsigned kZlibBufferBytes = 1u << 18;
constexpr std::size_t kMaxRead = INT_MAX;  // gzread returns the count as an int
constexpr std::size_t kMaxSize = std::numeric_limits<std::size_t>::max();

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose_r(file); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

[[noreturn]] void fail_read(const std::filesystem::path& path, gzFile file) {
  int code = Z_OK;
  const char* message = gzerror(file, &code);
  if (code == Z_ERRNO) {
    throw IoError(path.string() + ": cannot read: " + std::strerror(errno));
  }
  throw FormatError(path.string() + ": corrupt gzip data: " + message);
}

}  // namespace

std::string read_gzip_or_raw(const std::filesystem::path& path, std::size_t max_bytes) {
  errno = 0;
  GzHandle file(gzopen(path.c_str(), "rb"));
  if (!file) {
    throw IoError(path.string() +
                  ": cannot open: " + (errno != 0 ? std::strerror(errno) : "out of memory"));
  }
  gzbuffer(file.get(), kZlibBufferBytes);

  // The buffer never grows past one byte more than the cap (that byte shows
  // the cap was passed). It starts at twice the file's size, which holds most
  // IDX files once inflated, so it rarely grows at all.
  const std::size_t limit = max_bytes < kMaxSize ? max_bytes + 1 : kMaxSize;
  std::error_code size_error;
  const std::uintmax_t file_bytes = std::filesystem::file_size(path, size_error);
  std::string bytes;
  bytes.resize(size_error ? std::min(kChunkBytes, limit)
                          : std::min<std::uintmax_t>(2 * file_bytes + kChunkBytes, limit));
  std::size_t used = 0;
  for (;;) {
    if (bytes.size() - used < kChunkBytes) {
      bytes.resize(std::min(std::max(2 * bytes.size(), used + kChunkBytes), limit));
    }
    const std::size_t room = std::min(bytes.size() - used, kMaxRead);
    if (room == 0) {
      throw FormatError(path.string() + ": expected at most " + std::to_string(max_bytes) +
                        " bytes once decompressed, found more");
    }
    const int got = gzread(file.get(), bytes.data() + used, static_cast<unsigned>(room));
    if (got < 0) fail_read(path, file.get());
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  // gzread reports a stream cut short only through the error state.
  int code = Z_OK;
  gzerror(file.get(), &code);
  if (code == Z_BUF_ERROR) {
    throw FormatError(path.string() + ": truncated gzip data: the stream ends early");
  }
  if (code != Z_OK) fail_read(path, file.get());
  bytes.resize(used);
  return bytes;
}

}  // namespace descent

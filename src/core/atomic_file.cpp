#include "descent/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "descent/core/error.hpp"

namespace descent {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* what) {
  throw IoError("cannot " + std::string(what) + " '" + path.string() +
                "': " + std::strerror(errno));
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view contents) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(tmp, "create");
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail(tmp, "write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail(tmp, "flush");
  }
  if (::close(fd) != 0) fail(tmp, "close");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(path, "replace");
}

std::string read_file(const std::filesystem::path& path) {
  if (std::filesystem::is_directory(path)) {
    throw IoError("cannot read '" + path.string() + "': it is a folder, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "open");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail(path, "read");
  return buffer.str();
}

}  // namespace descent

// descent's error types. Every error carries a one-line message that names the
// file, field or value at fault and what was expected; the CLI prints it and
// exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace descent {

// Base of every error descent throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file could not be opened, read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

// A file was read but its contents are not what the format requires.
class FormatError : public Error {
 public:
  using Error::Error;
};

// A configuration value, flag or argument is outside its legal range.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// Shapes of buffers or matrices do not agree.
class ShapeError : public Error {
 public:
  using Error::Error;
};

}  // namespace descent

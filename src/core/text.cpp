#include "descent/core/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace descent {

namespace {

template <typename T>
std::string to_shortest(T value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string shortest(double value) { return to_shortest(value); }
std::string shortest(float value) { return to_shortest(value); }

double float_decimal(float value) {
  if (!std::isfinite(value)) return value;
  return std::strtod(to_shortest(value).c_str(), nullptr);
}

std::string percent(double accuracy) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f%%", 100 * accuracy);
  return buffer;
}

}  // namespace descent

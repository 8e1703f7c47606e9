// Fuzzes the reader of a run's config.json (`descent train --resume`,
// `descent evaluate`): any input must end in a parsed, validated config or a
// clean error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "descent/core/error.hpp"
#include "train_command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream json(std::string(reinterpret_cast<const char*>(data), size));
  try {
    descent::cli::parse_train_config(json);
  } catch (const descent::Error&) {
  }
  return 0;
}

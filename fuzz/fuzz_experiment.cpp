// Fuzzes the reader of `descent compare --experiment FILE.json`: any input
// must end in a validated experiment or a clean error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "descent/core/error.hpp"
#include "experiment_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    descent::cli::parse_experiment(std::string(reinterpret_cast<const char*>(data), size),
                                   "fuzz.json");
  } catch (const CLI::Error&) {
  } catch (const descent::Error&) {
  }
  return 0;
}

// Fuzz target for the metrics.csv reader: any input either parses or throws a
// descent::Error; anything else (a crash, a sanitizer report, another
// exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "descent/core/error.hpp"
#include "descent/experiment/metrics_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    descent::parse_metrics_csv(std::string_view(reinterpret_cast<const char*>(data), size),
                               "fuzz-input");
  } catch (const descent::Error&) {
  }
  return 0;
}

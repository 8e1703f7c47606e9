#include "dated_folder.hpp"

#include <ctime>

namespace descent::cli {

std::string dated_folder(const std::string& prefix) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  return prefix + stamp;
}

}  // namespace descent::cli

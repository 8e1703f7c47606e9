#include "given_flags.hpp"

#include <algorithm>

#include "descent/core/error.hpp"

namespace descent::cli {

void refuse_flags_besides(const CLI::App& command, std::initializer_list<std::string_view> allowed,
                          const std::string& with) {
  for (const CLI::Option* option : command.get_options()) {
    const std::string name = option->get_name();
    if (option->count() > 0 && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      throw ConfigError(name + ": cannot be combined with " + with);
    }
  }
}

}  // namespace descent::cli

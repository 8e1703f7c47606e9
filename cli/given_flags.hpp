// Flags that exclude the others: --resume takes its settings from the run's
// files, --from-compare takes runs already trained.
#pragma once

#include <CLI/CLI.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

namespace descent::cli {

// ConfigError "NAME: cannot be combined with WITH" for the first flag given
// to `command` that is not among `allowed`.
void refuse_flags_besides(const CLI::App& command, std::initializer_list<std::string_view> allowed,
                          const std::string& with);

}  // namespace descent::cli

// Command-line flags made from the option tables (optim/option_table.hpp):
// one --NAME per setting, whose value is read as the setting's type and
// checked against its range before it is stored.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "descent/optim/option.hpp"

namespace descent::cli {

// Adds --<spec.name> with `help` and `default_text` (empty: none shown); each
// value given goes to `set`, read and checked (ConfigError naming the
// setting otherwise). A switch given alone (--centered) is true; a list is
// comma-separated.
CLI::Option* add_option_flag(CLI::App& app, const OptionSpec& spec, const std::string& help,
                             const std::string& default_text,
                             std::function<void(const OptionValue&)> set);

// "a, b, c": names or words for help texts.
std::string comma_list(const std::vector<std::string>& words);

}  // namespace descent::cli

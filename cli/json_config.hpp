// Reads a JSON object as command-line settings: each key is a flag's long
// name ("lr", "batch-size"; "batch_size" also works), each value its setting
// (a list for list flags, true/false for switches). Flags given on the command
// line win over the file.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

class JsonConfig : public CLI::Config {
 public:
  std::string to_config(const CLI::App* app, bool default_also, bool write_description,
                        std::string prefix) const override;
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;
};

// Applies the settings of a JSON config file to the options of `app` that the
// command line left unset. (CLI11 processes config files of the top-level app
// only; this serves subcommands.) Throws CLI::FileError for a missing file and
// CLI::ConfigError for an unknown key.
void apply_config_file(CLI::App& app, const std::string& path);
// The same for JSON read from `input`; `source` names it in messages.
void apply_config(CLI::App& app, std::istream& input, const std::string& source);

}  // namespace descent::cli

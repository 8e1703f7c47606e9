// `descent report DIR...`: the report of finished sweep folders, rebuilt from
// their files; several sweeps make one combined report.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_report_command(CLI::App& app);

}  // namespace descent::cli

// The learning-rate schedule's flags, shared by every command that trains and
// by `descent minimize`: one per field of the table (optim/schedule.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "descent/optim/schedule.hpp"

namespace descent::cli {

// The --help section of these flags.
inline const std::string kScheduleFlags = "Schedule";

// Flags that set the fields of `config`, each read and checked against its
// range; the checks across fields are config.validate()'s.
void add_schedule_flags(CLI::App& app, ScheduleConfig& config);

}  // namespace descent::cli

// The learning-rate schedule's flags, shared by `descent train` and
// `descent minimize`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "descent/optim/schedule.hpp"

namespace descent::cli {

struct ScheduleArgs {
  std::string kind = "constant";
  std::string mode = "min";
  ScheduleConfig config;
};

void add_schedule_flags(CLI::App& app, ScheduleArgs& args);

// The config with its kind and mode parsed, validated.
ScheduleConfig resolve(const ScheduleArgs& args);

}  // namespace descent::cli

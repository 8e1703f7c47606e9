#include "schedule_flags.hpp"

#include "option_flags.hpp"

namespace descent::cli {

void add_schedule_flags(CLI::App& app, ScheduleConfig& config) {
  const ScheduleConfig defaults;
  for (const OptionDeclaration* option : options_of<ScheduleConfig>(schedule_option_table())) {
    const OptionMember<ScheduleConfig>* member = option->member_of<ScheduleConfig>();
    const auto default_value = member->get(defaults);
    add_option_flag(app, option->spec(), option->spec().help,
                    default_value ? to_string(*default_value) : "",
                    [&config, member](const OptionValue& value) { member->set(config, value); })
        ->group(kScheduleFlags);
  }
}

}  // namespace descent::cli

#include "option_flags.hpp"

namespace descent::cli {

namespace {

std::string type_name(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::real:
      return "FLOAT";
    case OptionType::integer:
      return "UINT";
    case OptionType::boolean:
      return "[BOOLEAN]";
    case OptionType::choice:
      return "{" + comma_list(spec.choices) + "}";
    case OptionType::integer_list:
      return "UINT,...";
  }
  return "TEXT";
}

}  // namespace

std::string comma_list(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

CLI::Option* add_option_flag(CLI::App& app, const OptionSpec& spec, const std::string& help,
                             const std::string& default_text,
                             std::function<void(const OptionValue&)> set) {
  const auto store = [spec, set](const std::string& text) {
    const OptionValue value = spec.type == OptionType::boolean && text.empty()
                                  ? OptionValue(true)
                                  : parse_option(spec, text);
    check_option(spec, value);
    set(value);
  };
  if (spec.type == OptionType::integer_list) {
    return app
        .add_option_function<std::vector<std::string>>(
            "--" + spec.name,
            [store](const std::vector<std::string>& items) {
              std::string joined;
              for (const auto& item : items) joined += (joined.empty() ? "" : ",") + item;
              store(joined);
            },
            help)
        ->delimiter(',')
        ->type_name(type_name(spec))
        ->default_str(default_text);
  }
  CLI::Option* option = app.add_option_function<std::string>("--" + spec.name, store, help);
  if (spec.type == OptionType::boolean) {
    // The text after the name is set apart: the default_str of an option of
    // expected(0, 1) is the value it takes when given alone.
    return option->expected(0, 1)->option_text(type_name(spec) +
                                               (default_text.empty() ? "" : "=" + default_text));
  }
  return option->type_name(type_name(spec))->default_str(default_text);
}

}  // namespace descent::cli

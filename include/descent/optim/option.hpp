// A setting by name: what an optimizer's or a schedule's hyperparameter is
// ("beta1": a real number in [0, 1)) and the values callers give it. The
// option tables (option_table.hpp) declare each setting once with an
// OptionSpec; the registry, the command line and config files read them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace descent {

enum class OptionType { real, integer, boolean, choice, integer_list };
// "real", "integer", "boolean", "choice", "integer-list".
std::string to_string(OptionType type);

// A setting's value as callers give it: a switch, a count, a number, a word
// of a choice, or a list of counts.
using OptionValue =
    std::variant<bool, std::int64_t, double, std::string, std::vector<std::int64_t>>;

// Settings by name ("beta1" -> 0.9); a setting left out takes its default.
using OptionValues = std::map<std::string, OptionValue>;

// The numbers a setting may take: each end closed, open or absent. Without an
// upper end the number must also be finite.
struct OptionRange {
  struct End {
    double value;
    bool open;  // the end itself is excluded
  };
  std::optional<End> lower;
  std::optional<End> upper;
  // The value's symbol in messages ("m": "expected m >= 1"); empty: its kind
  // ("expected an integer >= 1").
  std::string symbol;

  bool contains(double value) const;
  // What a value must be: "a number in [0, 1)", "a finite number > 0",
  // "an integer >= 1", "0 < c1 < 0.5", "m >= 1".
  std::string describe(bool integer) const;
  // This range with `name` as its symbol.
  OptionRange named(std::string name) const;
};

// [0, 1): decay rates and momenta.
OptionRange unit_interval();
// (0, inf), finite.
OptionRange positive();
// [0, inf), finite.
OptionRange non_negative();
// [least, inf).
OptionRange at_least(double least);
// From `lower` to `upper`, each end open or closed.
OptionRange between(double lower, bool lower_open, double upper, bool upper_open);

struct OptionSpec {
  std::string name;  // the flag without its dashes and the JSON key: "beta1"
  OptionType type = OptionType::real;
  std::string help;                  // one line for --help
  OptionRange range;                 // real, integer and integer_list
  std::vector<std::string> choices;  // choice
};

// `value` as the spec's type: an integer taken for a real, a whole real for
// an integer. ConfigError naming the setting for a value of another type.
OptionValue coerce(const OptionSpec& spec, const OptionValue& value);
// A value as the command line writes it: "0.9", "10", "true", "torch",
// "10,20". ConfigError naming the setting if it does not read as its type.
OptionValue parse_option(const OptionSpec& spec, const std::string& text);
// ConfigError naming the setting and what it expects for a value (of the
// spec's type) out of range or not among the choices, as
// "beta1: expected a number in [0, 1), got 1.5".
void check_option(const OptionSpec& spec, const OptionValue& value);
// The command line's form of a value: "0.9", "10", "true", "torch", "10,20".
std::string to_string(const OptionValue& value);

}  // namespace descent

#include "descent/optim/option.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

namespace {

[[noreturn]] void expected(const OptionSpec& spec, const std::string& what,
                           const std::string& got) {
  throw ConfigError(spec.name + ": expected " + what + ", got " + got);
}

// "notes or torch", "min, max or plateau".
std::string either(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  }
  return text;
}

std::string quoted(const OptionValue& value) {
  return std::holds_alternative<std::string>(value) ? "'" + to_string(value) + "'"
                                                    : to_string(value);
}

std::int64_t whole_number(const OptionSpec& spec, double value, const std::string& got) {
  const double limit = static_cast<double>(std::numeric_limits<std::int64_t>::max());
  if (!(value == std::trunc(value) && std::abs(value) < limit)) expected(spec, "an integer", got);
  return static_cast<std::int64_t>(value);
}

std::int64_t parse_integer(const OptionSpec& spec, const std::string& text) {
  try {
    std::size_t used = 0;
    const long long value = std::stoll(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  expected(spec, "an integer", "'" + text + "'");
}

void check_integer(const OptionSpec& spec, std::int64_t value) {
  if (!spec.range.contains(static_cast<double>(value))) {
    expected(spec, spec.range.describe(true), std::to_string(value));
  }
}

}  // namespace

std::string to_string(OptionType type) {
  switch (type) {
    case OptionType::real:
      return "real";
    case OptionType::integer:
      return "integer";
    case OptionType::boolean:
      return "boolean";
    case OptionType::choice:
      return "choice";
    case OptionType::integer_list:
      return "integer-list";
  }
  return "real";
}

bool OptionRange::contains(double value) const {
  if (std::isnan(value)) return false;
  if (lower && !(lower->open ? value > lower->value : value >= lower->value)) return false;
  if (upper) return upper->open ? value < upper->value : value <= upper->value;
  return std::isfinite(value);
}

std::string OptionRange::describe(bool integer) const {
  const auto at_least = [](const End& end) { return std::string(end.open ? "> " : ">= "); };
  const auto at_most = [](const End& end) { return std::string(end.open ? "< " : "<= "); };
  if (!symbol.empty()) {
    if (lower && upper) {
      return shortest(lower->value) + (lower->open ? " < " : " <= ") + symbol + " " +
             at_most(*upper) + shortest(upper->value);
    }
    if (lower) return symbol + " " + at_least(*lower) + shortest(lower->value);
    if (upper) return symbol + " " + at_most(*upper) + shortest(upper->value);
    return symbol;
  }
  const std::string kind = integer ? "an integer" : "a number";
  const std::string finite = integer ? "an integer" : "a finite number";
  if (lower && upper) {
    return kind + " in " + (lower->open ? "(" : "[") + shortest(lower->value) + ", " +
           shortest(upper->value) + (upper->open ? ")" : "]");
  }
  if (lower) return finite + " " + at_least(*lower) + shortest(lower->value);
  if (upper) return finite + " " + at_most(*upper) + shortest(upper->value);
  return finite;
}

OptionRange OptionRange::named(std::string name) const {
  OptionRange range = *this;
  range.symbol = std::move(name);
  return range;
}

OptionRange unit_interval() { return between(0, false, 1, true); }

OptionRange positive() {
  OptionRange range;
  range.lower = OptionRange::End{0, true};
  return range;
}

OptionRange non_negative() { return at_least(0); }

OptionRange at_least(double least) {
  OptionRange range;
  range.lower = OptionRange::End{least, false};
  return range;
}

OptionRange between(double lower, bool lower_open, double upper, bool upper_open) {
  OptionRange range;
  range.lower = OptionRange::End{lower, lower_open};
  range.upper = OptionRange::End{upper, upper_open};
  return range;
}

OptionValue coerce(const OptionSpec& spec, const OptionValue& value) {
  const std::string got = quoted(value);
  switch (spec.type) {
    case OptionType::real:
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        return static_cast<double>(*integer);
      }
      if (!std::holds_alternative<double>(value)) expected(spec, "a number", got);
      return value;
    case OptionType::integer:
      if (const auto* real = std::get_if<double>(&value)) return whole_number(spec, *real, got);
      if (!std::holds_alternative<std::int64_t>(value)) expected(spec, "an integer", got);
      return value;
    case OptionType::boolean:
      if (!std::holds_alternative<bool>(value)) expected(spec, "true or false", got);
      return value;
    case OptionType::choice:
      if (!std::holds_alternative<std::string>(value)) expected(spec, either(spec.choices), got);
      return value;
    case OptionType::integer_list:
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        return std::vector<std::int64_t>{*integer};
      }
      if (!std::holds_alternative<std::vector<std::int64_t>>(value)) {
        expected(spec, "a list of integers", got);
      }
      return value;
  }
  return value;
}

OptionValue parse_option(const OptionSpec& spec, const std::string& text) {
  switch (spec.type) {
    case OptionType::real:
      try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size()) return value;
      } catch (const std::exception&) {
      }
      expected(spec, "a number", "'" + text + "'");
    case OptionType::integer:
      return parse_integer(spec, text);
    case OptionType::boolean:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      expected(spec, "true or false", "'" + text + "'");
    case OptionType::choice:
      return text;
    case OptionType::integer_list: {
      std::vector<std::int64_t> values;
      std::size_t begin = 0;
      while (begin <= text.size()) {
        const std::size_t comma = std::min(text.find(',', begin), text.size());
        values.push_back(parse_integer(spec, text.substr(begin, comma - begin)));
        begin = comma + 1;
      }
      return values;
    }
  }
  return text;
}

void check_option(const OptionSpec& spec, const OptionValue& value) {
  switch (spec.type) {
    case OptionType::real: {
      const double number = std::get<double>(value);
      if (!spec.range.contains(number)) {
        expected(spec, spec.range.describe(false), shortest(number));
      }
      return;
    }
    case OptionType::integer:
      check_integer(spec, std::get<std::int64_t>(value));
      return;
    case OptionType::boolean:
      return;
    case OptionType::choice: {
      const std::string& word = std::get<std::string>(value);
      if (std::find(spec.choices.begin(), spec.choices.end(), word) == spec.choices.end()) {
        expected(spec, either(spec.choices), "'" + word + "'");
      }
      return;
    }
    case OptionType::integer_list:
      for (const std::int64_t element : std::get<std::vector<std::int64_t>>(value)) {
        check_integer(spec, element);
      }
      return;
  }
}

std::string to_string(const OptionValue& value) {
  struct Text {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return shortest(d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::int64_t>& list) const {
      std::string text;
      for (const std::int64_t i : list) text += (text.empty() ? "" : ",") + std::to_string(i);
      return text;
    }
  };
  return std::visit(Text{}, value);
}

}  // namespace descent

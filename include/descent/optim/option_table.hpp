// Option tables: each setting declared once, as one OptionDeclaration of its
// spec (name, range, help) and the members of every config struct it fills:
//
//   {"beta1", unit_interval(), "First-moment decay", &AdamConfig::beta1, &LionConfig::beta1}
//
// The setting's type is the members' (double: real, std::size_t: integer,
// bool: boolean, an enum: choice, std::vector<std::size_t>: integer list;
// std::optional<double> is a real that may be unset). Its default is the
// member's value in the struct as constructed, so defaults are written once,
// in the config structs. The tables of the optimizers' and the schedules'
// settings (optimizer_options.hpp, schedule.hpp) give the registry its
// reading of OptionValues, each config's validate() its range checks, and
// the command line and config files their flags and keys.
#pragma once

#include <any>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "descent/optim/option.hpp"

namespace descent {

// One member of a config struct, read and written as an OptionValue.
template <typename Config>
struct OptionMember {
  // The member's value; nullopt while unset (an empty optional or list).
  std::function<std::optional<OptionValue>(const Config&)> get;
  // Sets the member from a value of the option's type, in range.
  std::function<void(Config&, const OptionValue&)> set;
};

// The values of a choice's enum, each named by its to_string().
template <typename Enum>
struct Choices {
  std::vector<Enum> values;
};

namespace option_detail {

template <typename Member>
constexpr OptionType type_of() {
  if constexpr (std::is_enum_v<Member>) {
    return OptionType::choice;
  } else if constexpr (std::is_same_v<Member, bool>) {
    return OptionType::boolean;
  } else if constexpr (std::is_same_v<Member, std::size_t>) {
    return OptionType::integer;
  } else if constexpr (std::is_same_v<Member, std::vector<std::size_t>>) {
    return OptionType::integer_list;
  } else {
    static_assert(std::is_same_v<Member, double> || std::is_same_v<Member, std::optional<double>>,
                  "an option fills a double, std::optional<double>, std::size_t, bool, enum or "
                  "std::vector<std::size_t> member");
    return OptionType::real;
  }
}

inline std::optional<OptionValue> value_of(double m) { return m; }
inline std::optional<OptionValue> value_of(const std::optional<double>& m) {
  return m ? std::optional<OptionValue>(*m) : std::nullopt;
}
inline std::optional<OptionValue> value_of(bool m) { return m; }
inline std::optional<OptionValue> value_of(std::size_t m) { return static_cast<std::int64_t>(m); }
inline std::optional<OptionValue> value_of(const std::vector<std::size_t>& m) {
  if (m.empty()) return std::nullopt;
  return std::vector<std::int64_t>(m.begin(), m.end());
}

inline void assign(double& m, const OptionValue& v) { m = std::get<double>(v); }
inline void assign(std::optional<double>& m, const OptionValue& v) { m = std::get<double>(v); }
inline void assign(bool& m, const OptionValue& v) { m = std::get<bool>(v); }
inline void assign(std::size_t& m, const OptionValue& v) {
  m = static_cast<std::size_t>(std::get<std::int64_t>(v));
}
inline void assign(std::vector<std::size_t>& m, const OptionValue& v) {
  const auto& list = std::get<std::vector<std::int64_t>>(v);
  m.assign(list.begin(), list.end());
}

template <typename Config, typename Member>
OptionMember<Config> member(Member Config::*field) {
  return {[field](const Config& c) { return value_of(c.*field); },
          [field](Config& c, const OptionValue& v) { assign(c.*field, v); }};
}

template <typename Config, typename Enum>
OptionMember<Config> member(Enum Config::*field, const std::vector<Enum>& values) {
  return {[field](const Config& c) -> std::optional<OptionValue> { return to_string(c.*field); },
          [field, values](Config& c, const OptionValue& v) {
            for (const Enum value : values) {
              if (to_string(value) == std::get<std::string>(v)) c.*field = value;
            }
          }};
}

template <typename Field>
struct MemberType;
template <typename Config, typename Member>
struct MemberType<Member Config::*> {
  using type = Member;
};

}  // namespace option_detail

class OptionDeclaration {
 public:
  // A number, count, list or switch filling `fields`, members of one type.
  template <typename... Fields>
  OptionDeclaration(std::string name, OptionRange range, std::string help, Fields... fields)
      : spec_{std::move(name), type_of_fields<Fields...>(), std::move(help), std::move(range), {}} {
    (members_.emplace_back(option_detail::member(fields)), ...);
  }
  // A choice among `choices`, filling enum members.
  template <typename Enum, typename... Fields>
  OptionDeclaration(std::string name, Choices<Enum> choices, std::string help, Fields... fields)
      : spec_{std::move(name), OptionType::choice, std::move(help), {}, {}} {
    for (const Enum value : choices.values) spec_.choices.push_back(to_string(value));
    (members_.emplace_back(option_detail::member(fields, choices.values)), ...);
  }

  const OptionSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }

  // The member of Config this option fills; nullptr if Config has none.
  template <typename Config>
  const OptionMember<Config>* member_of() const {
    for (const std::any& member : members_) {
      if (const auto* found = std::any_cast<OptionMember<Config>>(&member)) return found;
    }
    return nullptr;
  }

 private:
  template <typename First, typename... More>
  static constexpr OptionType type_of_fields() {
    using Member = typename option_detail::MemberType<First>::type;
    static_assert((std::is_same_v<Member, typename option_detail::MemberType<More>::type> && ...),
                  "the members an option fills have one type");
    return option_detail::type_of<Member>();
  }

  OptionSpec spec_;
  std::vector<std::any> members_;  // an OptionMember<Config> per config struct
};

using OptionTable = std::vector<OptionDeclaration>;

// The declaration named `name`; nullptr if the table has none.
inline const OptionDeclaration* find_option(const OptionTable& table, const std::string& name) {
  for (const OptionDeclaration& option : table) {
    if (option.name() == name) return &option;
  }
  return nullptr;
}

// The options of `table` that fill a member of Config, in the table's order.
template <typename Config>
std::vector<const OptionDeclaration*> options_of(const OptionTable& table) {
  std::vector<const OptionDeclaration*> found;
  for (const OptionDeclaration& option : table) {
    if (option.member_of<Config>() != nullptr) found.push_back(&option);
  }
  return found;
}

// One setting with its default, for --help, documentation and bindings.
struct OptionInfo {
  OptionSpec spec;                           // name, type, range or choices, help
  std::optional<OptionValue> default_value;  // unset: the setting has no default
};

// The options of `table` that fill members of `parts` (the structs a method or
// schedule is configured by, as constructed with their defaults), in the
// table's order, each with its value there as its default.
template <typename... Parts>
std::vector<OptionInfo> option_infos(const OptionTable& table, const Parts&... parts) {
  std::vector<OptionInfo> infos;
  for (const OptionDeclaration& option : table) {
    const auto add = [&](const auto& part) {
      const auto* member = option.template member_of<std::decay_t<decltype(part)>>();
      if (member == nullptr) return false;
      infos.push_back({option.spec(), member->get(part)});
      return true;
    };
    static_cast<void>((add(parts) || ...));
  }
  return infos;
}

// Sets the members of `config` whose options `values` gives, each value
// converted to its option's type and checked against its range first; adds
// the names it read to `read`. ConfigError naming the option for a value of
// another type or out of range.
template <typename Config>
void read_options(const OptionTable& table, const OptionValues& values, Config& config,
                  std::set<std::string>& read) {
  for (const OptionDeclaration* option : options_of<Config>(table)) {
    const auto given = values.find(option->name());
    if (given == values.end()) continue;
    const OptionValue value = coerce(option->spec(), given->second);
    check_option(option->spec(), value);
    option->member_of<Config>()->set(config, value);
    read.insert(option->name());
  }
}

// ConfigError naming the first member of `config` outside its option's range,
// as "beta1: expected a number in [0, 1), got 1.5": the range checks of a
// config's validate().
template <typename Config>
void check_options(const OptionTable& table, const Config& config) {
  for (const OptionDeclaration* option : options_of<Config>(table)) {
    if (const auto value = option->member_of<Config>()->get(config)) {
      check_option(option->spec(), *value);
    }
  }
}

// The members of `config` that are set, under their options' names.
template <typename Config>
OptionValues option_values(const OptionTable& table, const Config& config) {
  OptionValues values;
  for (const OptionDeclaration* option : options_of<Config>(table)) {
    if (auto value = option->member_of<Config>()->get(config)) {
      values.emplace(option->name(), std::move(*value));
    }
  }
  return values;
}

}  // namespace descent

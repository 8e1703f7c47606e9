#include "options.hpp"

#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "descent/core/error.hpp"

namespace descent::python {

namespace py = pybind11;

namespace {

std::string option_name(const py::handle& key) {
  auto name = py::cast<std::string>(key);
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

OptionValue option_value(const std::string& name, const py::handle& value) {
  // bool before int: Python's True is also an int.
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
  if (py::isinstance<py::int_>(value)) return value.cast<std::int64_t>();
  if (py::isinstance<py::float_>(value)) return value.cast<double>();
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    std::vector<std::int64_t> counts;
    for (const py::handle item : value) {
      if (!py::isinstance<py::int_>(item) || py::isinstance<py::bool_>(item)) {
        throw ConfigError(name + ": expected a list of integers, got " +
                          std::string(py::repr(value)));
      }
      counts.push_back(item.cast<std::int64_t>());
    }
    return counts;
  }
  // A NumPy scalar or anything else with __float__.
  if (py::hasattr(value, "__float__"))
    return py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>();
  throw ConfigError(name + ": expected a number, a switch, a word or a list of integers, got " +
                    std::string(py::repr(value)));
}

py::object to_python(const OptionValue& value) {
  return std::visit([](const auto& v) -> py::object { return py::cast(v); }, value);
}

}  // namespace

OptionValues option_values(const py::dict& options) {
  OptionValues values;
  for (const auto& [key, value] : options) {
    const std::string name = option_name(key);
    values[name] = option_value(name, value);
  }
  return values;
}

py::list describe_options(const std::vector<OptionInfo>& options) {
  py::list described;
  for (const OptionInfo& option : options) {
    py::dict entry;
    std::string name = option.spec.name;
    std::replace(name.begin(), name.end(), '-', '_');
    entry["name"] = name;
    entry["type"] = to_string(option.spec.type);
    entry["default"] = option.default_value ? to_python(*option.default_value) : py::none();
    entry["help"] = option.spec.help;
    entry["choices"] = option.spec.choices;
    described.append(entry);
  }
  return described;
}

}  // namespace descent::python

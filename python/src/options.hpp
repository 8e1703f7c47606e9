// Keyword options from Python, as the option tables take them: a name with
// underscores or dashes ("weight_decay" or "weight-decay"), a bool, int,
// float, str or list of ints.
#pragma once

#include <pybind11/pybind11.h>

#include <vector>

#include "descent/optim/option_table.hpp"

namespace descent::python {

// ConfigError naming the option for a value of no option type.
OptionValues option_values(const pybind11::dict& options);

// The options of a table's entry as Python dicts {"name", "type", "default", "help", "choices"}.
pybind11::list describe_options(const std::vector<OptionInfo>& options);

}  // namespace descent::python

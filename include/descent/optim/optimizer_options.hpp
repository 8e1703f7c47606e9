// The hyperparameters of every method of the registry (registry.hpp): the
// table that declares each once, with the members of the config structs it
// fills (option_table.hpp). Each config's validate() checks its ranges here.
#pragma once

#include "descent/optim/option_table.hpp"

namespace descent {

// Hyperparameters by name, as the registry takes them: {"beta1": 0.8}. One
// left out takes the method's default.
using OptimizerOptions = OptionValues;

// Every optimizer option, in the order --help lists them.
const OptionTable& optimizer_option_table();

}  // namespace descent

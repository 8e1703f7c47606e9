// Checks of hyperparameters, each throwing a ConfigError that names the field
// (as its command-line flag) and the value.
#pragma once

#include <string>

namespace descent {

// Finite and > 0.
void check_positive(const std::string& field, double value);
// Finite and >= 0.
void check_non_negative(const std::string& field, double value);

}  // namespace descent

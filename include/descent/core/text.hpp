// Numbers as text: the shortest form that reads back to the same value, so
// that CSV and JSON files keep every bit of a result.
#pragma once

#include <string>

namespace descent {

std::string shortest(double value);
std::string shortest(float value);

// An accuracy as a percentage with two decimals: 0.8407 -> "84.07%".
std::string percent(double accuracy);

}  // namespace descent

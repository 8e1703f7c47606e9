// Numbers as text: the shortest form that reads back to the same value, so
// that CSV and JSON files keep every bit of a result.
#pragma once

#include <string>

namespace descent {

std::string shortest(double value);
std::string shortest(float value);

// A float32 value as the double nearest its shortest decimal form: a JSON
// writer, which prints doubles, then writes 2.3133762 instead of the 17 digits
// of the float's exact double, 2.3133761882781982, and the value read back
// and narrowed to float is the same float. Not finite: unchanged.
double float_decimal(float value);

// An accuracy as a percentage with two decimals: 0.8407 -> "84.07%".
std::string percent(double accuracy);

}  // namespace descent

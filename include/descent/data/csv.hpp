// A CSV of one sample per line: the integer label first, then the features as
// decimal numbers, used as written (no scaling). A first line that does not
// parse as numbers is taken as a header and skipped. Every line must have the
// same number of fields.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "descent/data/dataset.hpp"

namespace descent {

// num_classes is max(label) + 1 of the file.
Dataset parse_csv(std::string_view text, const std::string& source);
Dataset read_csv(const std::filesystem::path& path);

}  // namespace descent

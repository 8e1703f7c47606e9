// The default output folders of the commands: a prefix and the local date and
// time, "runs/train-20261129-013000".
#pragma once

#include <string>

namespace descent::cli {

std::string dated_folder(const std::string& prefix);

}  // namespace descent::cli

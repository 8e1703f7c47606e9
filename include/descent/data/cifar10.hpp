// CIFAR-10's binary batches (Krizhevsky 2009): records of 1 label byte and
// 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "descent/data/dataset.hpp"

namespace descent {

// Parses the bytes of one or more concatenated batches; pixels scaled to [0, 1].
Dataset parse_cifar10(std::string_view bytes, const std::string& source);

// Reads and concatenates batch files in order.
Dataset read_cifar10(std::span<const std::filesystem::path> files);

}  // namespace descent

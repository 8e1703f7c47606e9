// A trained model on disk: the network's configuration (JSON), its parameters
// and its batch-norm statistics, in the checkpoint container (magic, version,
// checksum). `descent train` writes the best model of a run as model.bin.
#pragma once

#include <filesystem>

#include "descent/nn/network.hpp"

namespace descent {

void save_model(const std::filesystem::path& path, const Network& network);
Network load_model(const std::filesystem::path& path);

}  // namespace descent

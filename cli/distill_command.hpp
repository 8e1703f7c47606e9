// `descent distill`: a student network trained on a teacher's softened
// probabilities (a model or an ensemble), beside the same student trained on
// the labels alone with the same seeds and budget, and the teacher.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_distill_command(CLI::App& app);

}  // namespace descent::cli

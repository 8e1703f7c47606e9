// The soft targets of a distillation run: the teacher's probabilities for
// each training sample, computed once before the run.
#pragma once

#include "descent/data/sources.hpp"
#include "descent/train/config.hpp"

namespace descent::cli {

// Fills data.train.soft_labels with the probabilities of config.teacher (a
// run folder, model.bin or ensemble.json) at config.distillation.temperature.
// An ensemble that votes is softened as mean-probs. IoError or FormatError
// naming the teacher's file; ShapeError if the teacher's input size or class
// count differs from the data's.
void add_soft_labels(DataSplits& data, const TrainConfig& config);

}  // namespace descent::cli

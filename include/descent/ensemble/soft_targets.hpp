// The soft targets of a distillation run (Hinton et al. 2015): the teacher's
// probabilities at temperature T for each training sample, computed once
// before the run and put in the training set's soft_labels.
#pragma once

#include <string>
#include <vector>

#include "descent/data/sources.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "descent/train/config.hpp"

namespace descent {

// The teacher at `path` (a run folder, model.bin or ensemble.json) with the
// warnings of the members left out; an ensemble that votes is softened as
// mean-probs, so its combine is never vote. The errors of
// load_model_or_ensemble.
LoadedEnsemble load_teacher(const std::string& path);

// Fills data.train.soft_labels with the teacher's probabilities at
// config.distillation.temperature. ShapeError naming config.teacher if the
// teacher's input size or class count differs from the data's.
void add_soft_labels(DataSplits& data, LoadedEnsemble& teacher, const TrainConfig& config);
// The same with the teacher loaded from config.teacher; returns its warnings.
std::vector<std::string> add_soft_labels(DataSplits& data, const TrainConfig& config);

}  // namespace descent

#include "descent/ensemble/soft_targets.hpp"

#include "descent/core/error.hpp"

namespace descent {

LoadedEnsemble load_teacher(const std::string& path) {
  LoadedEnsemble teacher = load_model_or_ensemble(path);
  if (teacher.combine == Combine::vote) teacher.combine = Combine::mean_probabilities;
  return teacher;
}

void add_soft_labels(DataSplits& data, LoadedEnsemble& teacher, const TrainConfig& config) {
  Ensemble& ensemble = teacher.ensemble;
  if (ensemble.input_dim() != data.train.dim()) {
    throw ShapeError("teacher '" + config.teacher + "': takes inputs of size " +
                     std::to_string(ensemble.input_dim()) + ", the data set has " +
                     std::to_string(data.train.dim()));
  }
  if (ensemble.num_classes() != static_cast<std::size_t>(data.train.num_classes)) {
    throw ShapeError("teacher '" + config.teacher + "': " + std::to_string(ensemble.num_classes()) +
                     " classes, the data set has " + std::to_string(data.train.num_classes));
  }
  data.train.soft_labels = ensemble
                               .softened_probabilities(data.train.features, teacher.combine,
                                                       config.distillation.temperature)
                               .cast<float>();
}

std::vector<std::string> add_soft_labels(DataSplits& data, const TrainConfig& config) {
  LoadedEnsemble teacher = load_teacher(config.teacher);
  add_soft_labels(data, teacher, config);
  return teacher.warnings;
}

}  // namespace descent

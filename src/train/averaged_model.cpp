#include "descent/train/averaged_model.hpp"

#include <algorithm>

namespace descent {

AveragedModel::AveragedModel(const WeightAverageConfig& averaging, const NetworkConfig& config,
                             const Network& network)
    : average_(averaging, network.params().size(), network.buffers().size()),
      network_(config, 0) {}

void AveragedModel::after_step(const Network& network) {
  if (average_.config().kind != AverageKind::ema) return;
  average_.update(network.params().values(), network.buffers());
}

void AveragedModel::after_epoch(std::size_t epoch, const Network& network) {
  if (average_.config().kind != AverageKind::swa || epoch < average_.config().swa_start) return;
  average_.update(network.params().values(), network.buffers());
}

Network& AveragedModel::network() {
  std::copy(average_.params().begin(), average_.params().end(),
            network_.params().values().begin());
  std::copy(average_.buffers().begin(), average_.buffers().end(), network_.buffers().begin());
  return network_;
}

Network::Evaluation AveragedModel::evaluate(const Eigen::Ref<const Matrix>& x,
                                            std::span<const std::int32_t> y) {
  return network().evaluate(x, y);
}

std::string AveragedModel::file_name() const {
  return "model_" + to_string(average_.config().kind) + ".bin";
}

}  // namespace descent

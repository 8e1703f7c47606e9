#include "descent/train/best_parameters.hpp"

#include <algorithm>

namespace descent {

void BestParameters::observe(std::size_t epoch, double score, const Network& network) {
  if (!(score > score_)) return;
  score_ = score;
  epoch_ = epoch;
  const auto params = network.params().values();
  const auto buffers = network.buffers();
  params_.assign(params.begin(), params.end());
  buffers_.assign(buffers.begin(), buffers.end());
}

void BestParameters::restore(Network& network) const {
  std::copy(params_.begin(), params_.end(), network.params().values().begin());
  std::copy(buffers_.begin(), buffers_.end(), network.buffers().begin());
}

void BestParameters::save(ByteWriter& out) const {
  out.put<std::uint64_t>(epoch_);
  out.put<double>(score_);
  out.put_array<float>(params_);
  out.put_array<float>(buffers_);
}

void BestParameters::load(ByteReader& in) {
  epoch_ = in.get<std::uint64_t>("best epoch");
  score_ = in.get<double>("best validation score");
  params_ = in.get_array<float>("best parameters");
  buffers_ = in.get_array<float>("best buffers");
}

}  // namespace descent

#include "descent/train/sfo_method.hpp"

#include <algorithm>
#include <numeric>

#include "descent/optim/registry.hpp"
#include "descent/train/trainer.hpp"

namespace descent {

namespace {

std::size_t subfunction_count(const TrainConfig& config, std::size_t train_size) {
  return sfo_settings(config.optimizer_options).partition.count_for(train_size);
}

}  // namespace

SfoMethod::SfoMethod(const TrainConfig& config, ShardObjective& objective, Network& network,
                     std::size_t train_size)
    : objective_(objective),
      network_(network),
      train_size_(train_size),
      subfunctions_(subfunction_count(config, train_size)),
      order_(train_size),
      problem_(network.params().values(), network.params().grads(), subfunctions_,
               [this](std::size_t i) { return subfunction(i); }) {
  std::iota(order_.begin(), order_.end(), std::uint32_t{0});
  Rng shuffling(stream_seed(config.seed, 1));
  shuffling.shuffle(order_);
  const SfoSettings settings = sfo_settings(config.optimizer_options);
  const auto params = network.params().values();
  const std::vector<double> x0(params.begin(), params.end());
  // SFO's own random choices follow the partition's shuffle in the same stream.
  sfo_.emplace(x0, subfunctions_, settings.sfo, shuffling.next_u64());
}

std::span<const std::uint32_t> SfoMethod::rows_of(std::size_t i) const {
  const std::size_t begin = i * train_size_ / subfunctions_;
  const std::size_t end = (i + 1) * train_size_ / subfunctions_;
  return std::span<const std::uint32_t>(order_).subspan(begin, end - begin);
}

double SfoMethod::subfunction(std::size_t i) {
  const auto rows = rows_of(i);
  objective_.set_batch(rows);
  const double weight = static_cast<double>(rows.size()) / static_cast<double>(train_size_);
  const double loss = objective_.loss_and_grad();
  auto grads = network_.params().grads();
  const auto scale = static_cast<float>(weight);
  for (float& g : grads) g *= scale;
  return weight * loss;
}

void SfoMethod::copy_x_to_network() {
  const auto x = sfo_->x();
  auto params = network_.params().values();
  std::transform(x.begin(), x.end(), params.begin(),
                 [](double v) { return static_cast<float>(v); });
}

IterationResult SfoMethod::iterate(std::size_t iteration, double) {
  objective_.set_iteration(iteration - 1);
  const SfoStepReport report = sfo_->step(problem_);
  copy_x_to_network();
  const double weight = static_cast<double>(rows_of(report.subfunction).size()) /
                        static_cast<double>(train_size_);
  return {static_cast<float>(report.value / weight), sfo_->step_scale(), {}};
}

std::size_t SfoMethod::epochs_done() const {
  return static_cast<std::size_t>(objective_.samples_evaluated() / train_size_);
}

void SfoMethod::locate(Progress& progress) const {
  locate_by_passes(progress, objective_.passes(), epochs_done());
}

void SfoMethod::add_results(TrainResult& result) const {
  result.details["subfunctions"] = subfunctions_;
  result.details["rejected_steps"] = sfo_->rejections();
  result.details["active_subfunctions"] = sfo_->active_subfunctions();
  result.details["memory_bytes"] = sfo_->memory_bytes();
}

void SfoMethod::save(ByteWriter& out) const { sfo_->save(out); }

void SfoMethod::load(ByteReader& in) { sfo_->load(in); }

}  // namespace descent

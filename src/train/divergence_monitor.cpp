#include "descent/train/divergence_monitor.hpp"

#include <cmath>
#include <cstdio>

namespace descent {

std::string DivergenceMonitor::observe(std::span<const float> losses) {
  const float loss = losses.back();
  const std::size_t iteration = losses.size();
  average_.add(loss);
  if (!std::isfinite(loss)) {
    return "training diverged at iteration " + std::to_string(iteration) + ": loss is " +
           (std::isnan(loss) ? "NaN" : "infinite");
  }
  if (diverge_factor_ == 0) return {};
  const double average = average_.value();
  const double bound = diverge_factor_ * losses.front();
  if (!(average > bound)) return {};
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "the average loss %.4g exceeds %g times the first loss %.4g",
                average, diverge_factor_, static_cast<double>(losses.front()));
  return "training diverged at iteration " + std::to_string(iteration) + ": " + numbers;
}

void DivergenceMonitor::replay(std::span<const float> losses) {
  average_.reset();
  for (const float loss : losses) average_.add(loss);
}

}  // namespace descent

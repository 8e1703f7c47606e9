#include "descent/experiment/tuned_rate.hpp"

#include <cmath>
#include <utility>

namespace descent {

std::vector<RateSpread> spreads_by_rate(std::span<const SeedRun> runs) {
  std::vector<RateSpread> rates;
  std::vector<std::vector<double>> values;  // of each entry of rates
  for (const SeedRun& run : runs) {
    std::size_t i = 0;
    while (i < rates.size() && !(rates[i].optimizer == run.optimizer && rates[i].lr == run.lr)) ++i;
    if (i == rates.size()) {
      rates.push_back({run.optimizer, run.lr, {}});
      values.emplace_back();
    }
    values[i].push_back(run.value);
  }
  for (std::size_t i = 0; i < rates.size(); ++i) rates[i].spread = spread_of(values[i]);
  return rates;
}

std::vector<RateSpread> best_rates(std::span<const SeedRun> runs, bool higher_is_better) {
  // a is strictly better than b.
  const auto better = [higher_is_better](double a, double b) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return higher_is_better ? a > b : a < b;
  };
  std::vector<RateSpread> best;
  for (RateSpread& rate : spreads_by_rate(runs)) {
    std::size_t i = 0;
    while (i < best.size() && best[i].optimizer != rate.optimizer) ++i;
    if (i == best.size()) {
      best.push_back(std::move(rate));
    } else if (better(rate.spread.mean, best[i].spread.mean)) {
      best[i] = std::move(rate);
    }
  }
  return best;
}

}  // namespace descent

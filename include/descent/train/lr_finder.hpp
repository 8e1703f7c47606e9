// The learning-rate range test (Smith 2017, "Cyclical Learning Rates for
// Training Neural Networks", section 3.3; the form fastai's lr_find made
// common): train a fresh network for up to one epoch while the learning rate
// rises exponentially from start_lr to end_lr,
//   lr_i = start_lr * (end_lr / start_lr)^(i / (n - 1)),   i = 0 .. n-1,
// record the loss of every step, and stop early once the smoothed loss passes
// stop_factor times its minimum. The loss is smoothed by an exponential moving
// average with bias correction: s_i = beta s_(i-1) + (1 - beta) loss_i,
// smoothed_i = s_i / (1 - beta^(i+1)).
//
// The suggestion is the rate at the minimum of the smoothed loss divided by 10:
// the largest rate that still lowers the loss steadily, with a margin (Smith's
// and fastai's rule of thumb). The steepest-descent point is reported too.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "descent/data/sources.hpp"
#include "descent/train/config.hpp"

namespace descent {

struct LrFindConfig {
  double start_lr = 1e-7;
  double end_lr = 10;
  std::size_t steps = 0;       // 0: one epoch of the training set
  double smoothing = 0.98;     // beta of the moving average, in [0, 1)
  double stop_factor = 4;      // stop once smoothed > stop_factor * its minimum; > 1
  std::size_t min_steps = 10;  // never stop before this many steps

  // ConfigError naming the field for any value out of range.
  void validate() const;
};

struct LrFindResult {
  std::vector<double> learning_rates;  // of each step taken
  std::vector<double> losses;          // the minibatch loss at that rate
  std::vector<double> smoothed;
  double min_loss_lr = 0;   // the rate at the minimum of the smoothed loss
  double steepest_lr = 0;   // the rate where the smoothed loss falls fastest per log-lr
  double suggested_lr = 0;  // min_loss_lr / 10
  bool stopped_early = false;
};

// Runs the test with the config's network, optimizer and options, batch size
// and seed (its learning rate and schedule are ignored), on data.train.
LrFindResult find_learning_rate(const TrainConfig& config, const DataSplits& data,
                                const LrFindConfig& find);

// The lr-find/<optimizer>.json of docs/compare-folder.md.
nlohmann::json to_json(const LrFindResult& result, const std::string& optimizer,
                       const LrFindConfig& find);

}  // namespace descent

// Reduce the learning rate on a plateau: the one schedule that is not a
// function of the step. Fed a validation metric once per epoch, it multiplies
// the learning rate by `factor` once the metric has gone `patience` epochs
// without improving, then ignores `cooldown` epochs. Matches PyTorch's
// torch.optim.lr_scheduler.ReduceLROnPlateau with threshold_mode "rel" and its
// eps of 1e-8:
//   improved  = metric < best * (1 - threshold)   (mode min, e.g. a loss)
//             = metric > best * (1 + threshold)   (mode max, e.g. an accuracy)
//   after more than `patience` epochs in a row without improvement:
//     lr <- max(lr * factor, min_lr), unless that lowers lr by 1e-8 or less
// A NaN metric is never an improvement. Relative thresholds assume a metric of
// one sign (losses, accuracies), as torch's do.
#pragma once

#include <cstddef>
#include <string>

#include "descent/core/bytes.hpp"

namespace descent {

enum class PlateauMode { min, max };

// "min" or "max"; ConfigError naming --mode otherwise.
PlateauMode parse_plateau_mode(const std::string& name);
std::string to_string(PlateauMode mode);

struct PlateauConfig {
  PlateauMode mode = PlateauMode::min;  // --mode: min for a loss, max for an accuracy
  double factor = 0.1;                  // --factor: lr <- lr * factor, in (0, 1)
  std::size_t patience = 10;            // --patience: epochs without improvement tolerated
  double threshold = 1e-4;              // --threshold: relative improvement that counts, >= 0
  std::size_t cooldown = 0;             // --cooldown: epochs ignored after a reduction
  double min_lr = 0;                    // --min-lr: the floor, >= 0

  // ConfigError naming the flag of the first field out of range.
  void validate() const;
};

class ReduceOnPlateau {
 public:
  ReduceOnPlateau(PlateauConfig config, double base_lr);

  // The learning rate for the epochs until the next observe().
  double lr() const { return lr_; }
  // One epoch's metric (validation loss in mode min, accuracy in mode max).
  void observe(double metric);

  // Everything observe() changes; load() expects what save() wrote.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

  const PlateauConfig& config() const { return config_; }
  double best() const { return best_; }
  std::size_t bad_epochs() const { return bad_epochs_; }
  std::size_t epochs() const { return epochs_; }

 private:
  bool improves(double metric) const;

  PlateauConfig config_;
  double lr_;
  double best_;                 // +inf (min) or -inf (max) before the first metric
  std::size_t bad_epochs_ = 0;  // epochs in a row without improvement
  std::size_t cooldown_left_ = 0;
  std::size_t epochs_ = 0;  // observe() calls so far
};

}  // namespace descent

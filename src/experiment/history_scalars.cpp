#include "descent/experiment/history_scalars.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "descent/experiment/epoch_metric.hpp"

namespace descent {

std::vector<Scalar> history_scalars(const History& history) {
  std::vector<Scalar> scalars;
  std::size_t next_epoch = 0;  // index of the first epoch record not yet written
  for (std::size_t i = 0; i < history.loss.size(); ++i) {
    const std::size_t step = i + 1;
    // Epochs are numbered from 1 in order: past the last record, the next.
    const std::size_t epoch = next_epoch + 1;
    const double no_time = std::numeric_limits<double>::quiet_NaN();
    scalars.push_back({step, epoch, no_time, "loss", history.loss[i], true});
    const auto& lr = history.learning_rate;
    const bool first = i == 0;
    const bool last = i + 1 == lr.size();
    if (first || last || lr[i] != lr[i - 1] || lr[i] != lr[i + 1]) {
      scalars.push_back({step, epoch, no_time, "lr", lr[i], true});
    }
    while (next_epoch < history.epochs.size() && history.epochs[next_epoch].iteration == step) {
      const EpochRecord& record = history.epochs[next_epoch++];
      for (EpochMetric metric : kEpochMetrics) {
        const double value = value_of(record, metric);
        const bool averaged =
            metric == EpochMetric::avg_val_loss || metric == EpochMetric::avg_val_acc;
        if (averaged && std::isnan(value)) continue;
        scalars.push_back(
            {step, record.epoch, record.seconds, std::string(to_string(metric)), value, false});
      }
    }
  }
  return scalars;
}

}  // namespace descent

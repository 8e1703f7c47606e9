#include "descent/experiment/epoch_metric.hpp"

#include <string>

#include "descent/core/error.hpp"

namespace descent {

namespace {

struct MetricField {
  EpochMetric metric;
  std::string_view name;
  double EpochRecord::*field;
};

// In the order of the enum, so that a metric indexes its row.
constexpr std::array<MetricField, 6> kFields = {{
    {EpochMetric::train_loss, "train_loss", &EpochRecord::train_loss},
    {EpochMetric::train_acc, "train_acc", &EpochRecord::train_accuracy},
    {EpochMetric::val_loss, "val_loss", &EpochRecord::val_loss},
    {EpochMetric::val_acc, "val_acc", &EpochRecord::val_accuracy},
    {EpochMetric::avg_val_loss, "avg_val_loss", &EpochRecord::avg_val_loss},
    {EpochMetric::avg_val_acc, "avg_val_acc", &EpochRecord::avg_val_accuracy},
}};

const MetricField& field_of(EpochMetric metric) {
  return kFields[static_cast<std::size_t>(metric)];
}

}  // namespace

std::string_view to_string(EpochMetric metric) { return field_of(metric).name; }

EpochMetric parse_epoch_metric(std::string_view name) {
  std::string names;
  for (const MetricField& f : kFields) {
    if (name == f.name) return f.metric;
    names += (names.empty() ? "" : ", ") + std::string(f.name);
  }
  throw ConfigError("unknown metric '" + std::string(name) + "' (expected one of " + names + ")");
}

bool higher_is_better(EpochMetric metric) {
  return metric == EpochMetric::train_acc || metric == EpochMetric::val_acc ||
         metric == EpochMetric::avg_val_acc;
}

double value_of(const EpochRecord& epoch, EpochMetric metric) {
  return epoch.*field_of(metric).field;
}

std::vector<double> values_of(std::span<const EpochRecord> epochs, EpochMetric metric) {
  std::vector<double> values;
  for (const EpochRecord& epoch : epochs) values.push_back(value_of(epoch, metric));
  return values;
}

}  // namespace descent

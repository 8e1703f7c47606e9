// The metrics a History records once per epoch, by the names its tables use
// (history.csv, history.json, metrics.csv): what a target, a tuned rate or a
// TensorBoard scalar refers to.
#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "descent/train/history.hpp"

namespace descent {

enum class EpochMetric { train_loss, train_acc, val_loss, val_acc, avg_val_loss, avg_val_acc };

inline constexpr std::array<EpochMetric, 6> kEpochMetrics = {
    EpochMetric::train_loss, EpochMetric::train_acc,    EpochMetric::val_loss,
    EpochMetric::val_acc,    EpochMetric::avg_val_loss, EpochMetric::avg_val_acc};

// "train_loss", "train_acc", "val_loss", "val_acc", "avg_val_loss", "avg_val_acc".
std::string_view to_string(EpochMetric metric);
// ConfigError naming the name and the legal ones.
EpochMetric parse_epoch_metric(std::string_view name);
// Accuracies are better higher, losses lower.
bool higher_is_better(EpochMetric metric);
// NaN where the epoch did not measure it (the averaged weights' metrics).
double value_of(const EpochRecord& epoch, EpochMetric metric);
// The metric's curve: one value per epoch.
std::vector<double> values_of(std::span<const EpochRecord> epochs, EpochMetric metric);

}  // namespace descent

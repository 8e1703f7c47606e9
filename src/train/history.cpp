#include "descent/train/history.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/text.hpp"

namespace descent {

namespace {

// The history's part of a checkpoint opens with this tag since epochs record
// train_seconds. Older checkpoints open with the loss count instead, which can
// never be this large, and hold epochs in the layout of EpochRecordV1.
constexpr std::uint64_t kLayoutTag = 0x4849'5354'4f52'5932;  // "HISTORY2"

// EpochRecord as checkpoints stored it before train_seconds.
struct EpochRecordV1 {
  std::size_t epoch, iteration;
  double learning_rate, train_loss, train_accuracy, val_loss, val_accuracy, seconds;
  double avg_val_loss, avg_val_accuracy;
};
static_assert(sizeof(EpochRecordV1) == 80);

std::vector<EpochRecord> epochs_of(const std::vector<EpochRecordV1>& stored) {
  std::vector<EpochRecord> epochs;
  for (const EpochRecordV1& s : stored) {
    EpochRecord e;
    e.epoch = s.epoch;
    e.iteration = s.iteration;
    e.learning_rate = s.learning_rate;
    e.train_loss = s.train_loss;
    e.train_accuracy = s.train_accuracy;
    e.val_loss = s.val_loss;
    e.val_accuracy = s.val_accuracy;
    e.seconds = s.seconds;
    e.avg_val_loss = s.avg_val_loss;
    e.avg_val_accuracy = s.avg_val_accuracy;
    epochs.push_back(e);
  }
  return epochs;
}

// A measured value, or an empty cell.
std::string cell(double value) { return std::isnan(value) ? std::string() : shortest(value); }

}  // namespace

void History::save(ByteWriter& out) const {
  out.put<std::uint64_t>(kLayoutTag);
  out.put_array<float>(loss);
  out.put_array<float>(learning_rate);
  out.put_array<double>(passes);
  out.put_array<EpochRecord>(epochs);
}

void History::load(ByteReader& in) {
  const bool tagged = in.peek<std::uint64_t>("loss history") == kLayoutTag;
  if (tagged) in.get<std::uint64_t>("history layout");
  loss = in.get_array<float>("loss history");
  learning_rate = in.get_array<float>("learning-rate history");
  if (learning_rate.size() != loss.size())
    in.fail("learning-rate history", "length differs from the loss history");
  passes = in.get_array<double>("passes history");
  if (passes.size() != loss.size())
    in.fail("passes history", "length differs from the loss history");
  epochs = tagged ? in.get_array<EpochRecord>("epoch history")
                  : epochs_of(in.get_array<EpochRecordV1>("epoch history"));
}

std::string epochs_csv(const History& history) {
  std::string text =
      "epoch,iteration,lr,train_loss,train_acc,val_loss,val_acc,seconds,train_seconds";
  text += history.averaged ? ",avg_val_loss,avg_val_acc\n" : "\n";
  for (const EpochRecord& e : history.epochs) {
    text += std::to_string(e.epoch) + ',' + std::to_string(e.iteration) + ',' +
            shortest(e.learning_rate) + ',' + shortest(e.train_loss) + ',' +
            shortest(e.train_accuracy) + ',' + shortest(e.val_loss) + ',' +
            shortest(e.val_accuracy) + ',' + shortest(e.seconds) + ',' + cell(e.train_seconds);
    if (history.averaged) text += ',' + cell(e.avg_val_loss) + ',' + cell(e.avg_val_accuracy);
    text += '\n';
  }
  return text;
}

std::string loss_csv(const History& history) {
  std::string text = "iteration,loss,lr,passes\n";
  for (std::size_t i = 0; i < history.loss.size(); ++i) {
    text += std::to_string(i + 1) + ',' + shortest(history.loss[i]) + ',' +
            shortest(history.learning_rate[i]) + ',' + shortest(history.passes[i]) + '\n';
  }
  return text;
}

nlohmann::json to_json(const History& history) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const EpochRecord& e : history.epochs) {
    nlohmann::json row = {{"epoch", e.epoch},
                          {"iteration", e.iteration},
                          {"lr", float_decimal(static_cast<float>(e.learning_rate))},
                          {"train_loss", e.train_loss},
                          {"train_acc", e.train_accuracy},
                          {"val_loss", e.val_loss},
                          {"val_acc", e.val_accuracy},
                          {"seconds", e.seconds},
                          // nlohmann writes NaN as null.
                          {"train_seconds", e.train_seconds}};
    if (history.averaged) {
      row["avg_val_loss"] = e.avg_val_loss;
      row["avg_val_acc"] = e.avg_val_accuracy;
    }
    epochs.push_back(std::move(row));
  }
  // The per-iteration values in the shortest decimal form of a float: the
  // loss and rate are floats; passes, a double, keep seven digits and more
  // (what a chart's axis or a time to target can use; the checkpoint keeps
  // every bit for resuming). Half the digits of the doubles' forms.
  const auto decimals = [](const auto& values) {
    std::vector<double> shortened(values.size());
    std::transform(values.begin(), values.end(), shortened.begin(),
                   [](auto value) { return float_decimal(static_cast<float>(value)); });
    return shortened;
  };
  return {{"loss", decimals(history.loss)},
          {"lr", decimals(history.learning_rate)},
          {"passes", decimals(history.passes)},
          {"epochs", epochs}};
}

}  // namespace descent

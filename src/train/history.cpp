#include "descent/train/history.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/text.hpp"

namespace descent {

void History::save(ByteWriter& out) const {
  out.put_array<float>(loss);
  out.put_array<float>(learning_rate);
  out.put_array<double>(passes);
  out.put_array<EpochRecord>(epochs);
}

void History::load(ByteReader& in) {
  loss = in.get_array<float>("loss history");
  learning_rate = in.get_array<float>("learning-rate history");
  if (learning_rate.size() != loss.size())
    in.fail("learning-rate history", "length differs from the loss history");
  passes = in.get_array<double>("passes history");
  if (passes.size() != loss.size()) in.fail("passes history", "length differs from the loss history");
  epochs = in.get_array<EpochRecord>("epoch history");
}

namespace {

// A measured value, or an empty cell.
std::string cell(double value) { return std::isnan(value) ? std::string() : shortest(value); }

}  // namespace

std::string epochs_csv(const History& history) {
  std::string text = "epoch,iteration,lr,train_loss,train_acc,val_loss,val_acc,seconds";
  text += history.averaged ? ",avg_val_loss,avg_val_acc\n" : "\n";
  for (const EpochRecord& e : history.epochs) {
    text += std::to_string(e.epoch) + ',' + std::to_string(e.iteration) + ',' +
            shortest(e.learning_rate) + ',' + shortest(e.train_loss) + ',' +
            shortest(e.train_accuracy) + ',' + shortest(e.val_loss) + ',' +
            shortest(e.val_accuracy) + ',' + shortest(e.seconds);
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
                          {"lr", e.learning_rate},
                          {"train_loss", e.train_loss},
                          {"train_acc", e.train_accuracy},
                          {"val_loss", e.val_loss},
                          {"val_acc", e.val_accuracy},
                          {"seconds", e.seconds}};
    if (history.averaged) {
      // nlohmann writes NaN as null.
      row["avg_val_loss"] = e.avg_val_loss;
      row["avg_val_acc"] = e.avg_val_accuracy;
    }
    epochs.push_back(std::move(row));
  }
  return {{"loss", history.loss},
          {"lr", history.learning_rate},
          {"passes", history.passes},
          {"epochs", epochs}};
}

}  // namespace descent

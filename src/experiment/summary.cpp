#include "descent/experiment/summary.hpp"

#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/text.hpp"

namespace descent {

nlohmann::json summary_row(const RunRecord& run) {
  const TrainConfig& c = run.spec.config;
  const TrainResult& r = run.result;
  nlohmann::json row = {{"run", run.spec.id},
                        {"optimizer", c.optimizer},
                        {"lr", c.learning_rate},
                        {"schedule", run.spec.schedule_label},
                        {"seed", c.seed},
                        {"hyperparameters", to_json(c.optimizer_options)},
                        {"status", to_string(r.status)},
                        {"train_acc", r.final_train_accuracy},
                        {"val_acc", r.final_val_accuracy},
                        {"best_val_acc", r.best_val_accuracy},
                        {"test_acc", r.test_accuracy},
                        {"test_loss", r.test_loss},
                        {"best_epoch", r.best_epoch},
                        {"final_loss", r.final_loss},
                        {"seconds", r.seconds},
                        {"target", run.target}};
  row.update(to_json(run.to_target));
  return row;
}

std::string summary_csv(const std::vector<RunRecord>& runs) {
  std::string text =
      "run,optimizer,lr,schedule,seed,hyperparameters,status,train_acc,val_acc,best_val_acc,"
      "test_acc,test_loss,best_epoch,final_loss,seconds,target,steps_to_target,passes_to_target,"
      "seconds_to_target\n";
  for (const RunRecord& run : runs) {
    const TrainConfig& c = run.spec.config;
    const TrainResult& r = run.result;
    std::string hyperparameters;
    const nlohmann::json options = to_json(c.optimizer_options);
    for (const auto& [key, value] : options.items()) {
      hyperparameters += (hyperparameters.empty() ? "" : ";") + key + "=" +
                         (value.is_string() ? value.get<std::string>() : value.dump());
    }
    text += run.spec.id + ',' + c.optimizer + ',' + shortest(c.learning_rate) + ',' +
            run.spec.schedule_label + ',' + std::to_string(c.seed) + ',' + hyperparameters + ',' +
            to_string(r.status) + ',' + shortest(r.final_train_accuracy) + ',' +
            shortest(r.final_val_accuracy) + ',' + shortest(r.best_val_accuracy) + ',' +
            shortest(r.test_accuracy) + ',' + shortest(r.test_loss) + ',' +
            std::to_string(r.best_epoch) + ',' + shortest(r.final_loss) + ',' +
            shortest(r.seconds) + ',' + run.target + ',' + csv_cells(run.to_target) + '\n';
  }
  return text;
}

void write_summary(const std::filesystem::path& out_dir, const std::vector<RunRecord>& runs) {
  nlohmann::json rows = nlohmann::json::array();
  for (const RunRecord& run : runs) rows.push_back(summary_row(run));
  write_file_atomic(out_dir / "summary.json", rows.dump(2) + "\n");
  write_file_atomic(out_dir / "summary.csv", summary_csv(runs));
}

}  // namespace descent

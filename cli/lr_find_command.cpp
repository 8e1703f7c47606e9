#include "lr_find_command.hpp"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dated_folder.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/text.hpp"
#include "descent/report/plot_file.hpp"
#include "descent/report/report_figures.hpp"
#include "descent/train/lr_finder.hpp"
#include "train_command.hpp"

namespace descent::cli {

namespace {

namespace fs = std::filesystem;

struct LrFindArgs {
  TrainArgs train;
  LrFindConfig find;
  std::string out;
};

std::string lr_find_csv(const LrFindResult& result) {
  std::string text = "step,lr,loss,smoothed\n";
  for (std::size_t i = 0; i < result.learning_rates.size(); ++i) {
    text += std::to_string(i + 1) + ',' + shortest(result.learning_rates[i]) + ',' +
            shortest(result.losses[i]) + ',' + shortest(result.smoothed[i]) + '\n';
  }
  return text;
}

int run_lr_find(const LrFindArgs& args) {
  TrainConfig config = resolve(args.train);
  const DataSplits data = load_splits(config.data);
  fit_network_to_data(config, data);
  const fs::path out =
      args.out.empty() ? fs::path(dated_folder("runs/lr-find-")) : fs::path(args.out);
  const LrFindResult result = find_learning_rate(config, data, args.find);
  fs::create_directories(out);
  const nlohmann::json json = to_json(result, config.optimizer, args.find);
  write_file_atomic(out / "lr_find.json", json.dump(2) + "\n");
  write_file_atomic(out / "lr_find.csv", lr_find_csv(result));
  const Figure figure = lr_find_figure("lr-find", read_lr_find(out / "lr_find.json"));
  save_figure(figure, out / "lr_find.png");
  save_figure(figure, out / "lr_find.svg");
  std::cout << std::setprecision(3) << config.optimizer << ": suggested lr " << result.suggested_lr
            << " (the loss is lowest at " << result.min_loss_lr << ", falls fastest at "
            << result.steepest_lr << "); " << result.learning_rates.size() << " steps"
            << (result.stopped_early ? ", stopped once the loss blew up" : "") << "\n"
            << "results: " << out.string() << "\n";
  return 0;
}

}  // namespace

void add_lr_find_command(CLI::App& app) {
  auto args = std::make_shared<LrFindArgs>();
  CLI::App* command = app.add_subcommand(
      "lr-find",
      "Learning-rate range test: raise the rate exponentially over one epoch, record the loss");
  add_train_flags(*command, args->train);
  LrFindConfig& f = args->find;
  command->add_option("--start-lr", f.start_lr, "First learning rate")->capture_default_str();
  command->add_option("--end-lr", f.end_lr, "Last learning rate")->capture_default_str();
  command->add_option("--steps", f.steps, "Steps of the test (0: one epoch)")
      ->capture_default_str();
  command->add_option("--smoothing", f.smoothing, "beta of the loss's moving average")
      ->capture_default_str();
  command
      ->add_option("--stop-factor", f.stop_factor,
                   "Stop once the smoothed loss exceeds this many times its minimum")
      ->capture_default_str();
  command->add_option("--out", args->out, "Results folder (default: runs/lr-find-<date>-<time>)")
      ->configurable(false);
  command->final_callback([args] {
    const int code = run_lr_find(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

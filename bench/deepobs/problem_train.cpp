// Trains one named test problem (include/descent/train/problem.hpp) with one
// optimizer and seed through descent's Trainer, and prints one JSON line with
// the test accuracy and loss of the parameters after every epoch: what DeepOBS's
// tables report (its baselines are the test accuracy at a given epoch), which
// `descent train` does not (it reports the best validation epoch's).
//
//   problem_train --problem fmnist-2c2d --optimizer momentum --lr 0.00251
//                 --momentum 0.99 --momentum-convention torch --epochs 10 --seed 0
//
// Flags: --problem NAME, --optimizer NAME, --lr X, --momentum X,
// --momentum-convention notes|torch, --epochs N (default: the problem's),
// --batch-size N (default: the problem's), --seed N, --threads N,
// --data-dir DIR, --train-size N (a subset, for a quick check), --test-size N
// (the test set's first N samples: DeepOBS's TensorFlow runs evaluate whole
// batches only, 896 of quadratic_deep's 1,000 test samples at batch 128),
// --shuffle-once (the first epoch's order in every epoch, as those runs).
// Progress goes to stderr, one line per epoch.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/threads.hpp"
#include "descent/data/dataset.hpp"
#include "descent/train/problem.hpp"
#include "descent/train/trainer.hpp"

namespace {

struct Args {
  std::string problem = "fmnist-2c2d";
  std::string optimizer = "sgd";
  double lr = 0.01;
  std::optional<double> momentum;
  std::optional<std::string> convention;
  std::size_t epochs = 0;
  std::size_t batch_size = 0;
  std::size_t train_size = 0;
  std::size_t test_size = 0;
  bool shuffle_once = false;
  std::uint64_t seed = 0;
  int threads = 1;
  std::string data_dir;
};

std::size_t count_of(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') {
    throw descent::ConfigError(flag + ": expected a non-negative integer, got '" + text + "'");
  }
  return static_cast<std::size_t>(value);
}

double number_of(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') {
    throw descent::ConfigError(flag + ": expected a number, got '" + text + "'");
  }
  return value;
}

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--shuffle-once") {
      args.shuffle_once = true;
      continue;
    }
    if (i + 1 >= argc) throw descent::ConfigError(flag + ": expected a value after it");
    const std::string value = argv[++i];
    if (flag == "--problem") {
      args.problem = value;
    } else if (flag == "--optimizer") {
      args.optimizer = value;
    } else if (flag == "--lr") {
      args.lr = number_of(flag, value);
    } else if (flag == "--momentum") {
      args.momentum = number_of(flag, value);
    } else if (flag == "--momentum-convention") {
      args.convention = value;
    } else if (flag == "--epochs") {
      args.epochs = count_of(flag, value);
    } else if (flag == "--batch-size") {
      args.batch_size = count_of(flag, value);
    } else if (flag == "--train-size") {
      args.train_size = count_of(flag, value);
    } else if (flag == "--test-size") {
      args.test_size = count_of(flag, value);
    } else if (flag == "--seed") {
      args.seed = count_of(flag, value);
    } else if (flag == "--threads") {
      args.threads = static_cast<int>(count_of(flag, value));
    } else if (flag == "--data-dir") {
      args.data_dir = value;
    } else {
      throw descent::ConfigError("unknown flag '" + flag + "'");
    }
  }
  return args;
}

int run(const Args& args) {
  const descent::Problem& problem = descent::find_problem(args.problem);
  descent::TrainConfig config = descent::train_config(problem);
  config.data.data_dir = args.data_dir;
  config.data.train_size = args.train_size;
  config.data.seed = args.seed;
  config.optimizer = args.optimizer;
  if (args.momentum) config.optimizer_options["momentum"] = *args.momentum;
  if (args.convention) config.optimizer_options["momentum-convention"] = *args.convention;
  config.learning_rate = args.lr;
  config.seed = args.seed;
  config.shuffle_once = args.shuffle_once;
  config.threads = args.threads;
  if (args.epochs > 0) config.epochs = args.epochs;
  if (args.batch_size > 0) config.batch_size = args.batch_size;
  config.validate();
  descent::set_num_threads(args.threads);

  descent::Problem with_options = problem;
  with_options.data = config.data;
  const descent::DataSplits data = descent::load_problem_data(with_options, args.data_dir);
  if (args.test_size > data.test.size()) {
    throw descent::ConfigError("--test-size: expected at most the test set's " +
                               std::to_string(data.test.size()) + " samples, got " +
                               std::to_string(args.test_size));
  }
  std::vector<std::uint32_t> test_rows(args.test_size > 0 ? args.test_size : data.test.size());
  std::iota(test_rows.begin(), test_rows.end(), std::uint32_t{0});
  const descent::Dataset test_set = descent::take_rows(data.test, test_rows);
  descent::Trainer trainer(config, data);
  nlohmann::json epochs = nlohmann::json::array();
  const auto start = std::chrono::steady_clock::now();
  auto epoch_start = start;
  double train_seconds = 0;
  trainer.on_epoch = [&](const descent::Progress& progress) {
    // Progress comes after the epoch's own evaluation; its seconds are the
    // training steps and that evaluation, the test set's below excluded.
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - epoch_start).count();
    train_seconds += seconds;
    const descent::Network::Evaluation test =
        trainer.network().evaluate(test_set.features, test_set.labels);
    const descent::EpochRecord& record = *progress.epoch_record;
    epochs.push_back({{"epoch", progress.epoch},
                      {"seconds", seconds},
                      {"train_loss", record.train_loss},
                      {"val_acc", record.val_accuracy},
                      {"test_acc", test.accuracy},
                      {"test_loss", test.loss}});
    std::cerr << args.problem << " " << args.optimizer << " seed " << args.seed << ": epoch "
              << progress.epoch << "/" << progress.epochs << "  loss " << record.train_loss
              << "  val acc " << record.val_accuracy << "  test acc " << test.accuracy << "  ("
              << seconds << " s)\n";
    epoch_start = std::chrono::steady_clock::now();
  };
  const descent::TrainResult result = trainer.run();
  const nlohmann::json out = {
      {"problem", args.problem},
      {"optimizer", args.optimizer},
      {"lr", args.lr},
      {"momentum", args.momentum ? nlohmann::json(*args.momentum) : nlohmann::json()},
      {"seed", args.seed},
      {"threads", args.threads},
      {"batch_size", config.batch_size},
      {"train_size", data.train.size()},
      {"test_size", test_set.size()},
      {"shuffle_once", args.shuffle_once},
      {"status", descent::to_string(result.status)},
      {"epochs", epochs},
      {"final_test_acc", epochs.empty() ? nlohmann::json() : epochs.back()["test_acc"]},
      {"final_test_loss", epochs.empty() ? nlohmann::json() : epochs.back()["test_loss"]},
      {"best_val_test_acc", result.test_accuracy},
      {"seconds_per_epoch",
       epochs.empty() ? 0.0 : train_seconds / static_cast<double>(epochs.size())},
      {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()},
  };
  std::cout << out.dump() << "\n";
  return result.status == descent::RunStatus::Finished ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const descent::Error& e) {
    std::cerr << "problem_train: " << e.what() << "\n";
    return 2;
  }
}

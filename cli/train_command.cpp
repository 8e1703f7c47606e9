#include "train_command.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "dated_folder.hpp"
#include "distributed_train.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "descent/ensemble/soft_targets.hpp"
#include "descent/optim/registry.hpp"
#include "descent/train/problem.hpp"
#include "descent/train/snapshot.hpp"
#include "descent/train/trainer.hpp"
#include "descent/train/training_method.hpp"
#include "given_flags.hpp"
#include "json_config.hpp"
#include "progress.hpp"
#include "stop_signal.hpp"

namespace descent::cli {

namespace {

std::string layer_sizes(const NetworkConfig& net) {
  if (!net.layers.empty()) return "a network of " + std::to_string(net.layers.size()) + " layers";
  std::string text = std::to_string(net.input_dim);
  for (std::size_t h : net.hidden) text += "-" + std::to_string(h);
  return text + "-" + std::to_string(net.num_classes);
}

int run_train(const TrainArgs& args, const CLI::App& command) {
  namespace fs = std::filesystem;
  fs::path run_dir;
  const bool resuming = !args.resume.empty();
  if (resuming) {
    refuse_flags_besides(command, {"--resume", "--quiet", "--distributed"},
                         "--resume, which takes every setting from the run's config.json");
    run_dir = args.resume;
    if (!fs::exists(run_dir / "config.json")) {
      throw IoError("cannot open '" + (run_dir / "config.json").string() +
                    "': no run to resume there");
    }
  } else {
    run_dir = args.out.empty() ? fs::path(dated_folder("runs/train-")) : fs::path(args.out);
    if (fs::exists(run_dir / "checkpoint.bin")) {
      throw ConfigError("out: '" + run_dir.string() + "' already holds a run; continue it with " +
                        "--resume " + run_dir.string() + " or choose another --out");
    }
  }
  const TrainConfig config = resuming ? read_run_config(run_dir) : resolve(args);
  if (args.distributed) return run_distributed_train(config, run_dir, resuming, args.quiet);
  const DataSplits data = load_train_data(config, args.problem);
  return report_train_result(train_in_folder(config, data, run_dir, resuming, args.quiet), config,
                             run_dir);
}

// "adam lr 0.001 (constant: 0.001), 5 epochs of batch 100"; the methods that
// set their own steps count passes over the data.
std::string method_text(const TrainConfig& config, std::size_t train_size) {
  const std::string epochs = std::to_string(config.epochs);
  switch (optimizer_kind(config.optimizer)) {
    case OptimizerKind::line_search:
      return config.optimizer + ", " + epochs + " passes " +
             (batch_rows(config, train_size) < train_size
                  ? "in batches of " + std::to_string(config.batch_size)
                  : std::string("on the whole training set"));
    case OptimizerKind::sum_of_functions:
      return config.optimizer + ", " + epochs + " passes over " +
             std::to_string(sfo_settings(config.optimizer_options).partition.count_for(train_size)) +
             " fixed minibatches";
    default:
      break;
  }
  const std::string schedule = config.snapshots > 0
                                   ? std::to_string(config.snapshots) + " snapshot cycles"
                                   : Schedule(config.schedule, config.learning_rate).describe();
  return config.optimizer + " lr " + shortest(config.learning_rate) + " (" + schedule + "), " +
         epochs + " epochs of batch " + std::to_string(config.batch_size);
}

}  // namespace

DataSplits load_train_data(const TrainConfig& config, const std::string& problem) {
  DataSplits data;
  if (problem.empty()) {
    data = load_splits(config.data);
  } else {
    Problem as_configured = find_problem(problem);
    as_configured.data = config.data;
    data = load_problem_data(as_configured, config.data.data_dir);
  }
  if (!config.teacher.empty()) {
    for (const std::string& warning : add_soft_labels(data, config)) {
      std::cerr << "descent: warning: " << warning << "\n";
    }
  }
  return data;
}

int report_train_result(const TrainResult& result, const TrainConfig& config,
                        const std::filesystem::path& run_dir) {
  switch (result.status) {
    case RunStatus::Finished:
      if (config.network.loss == LossKind::softmax) {
        std::cout << "test accuracy " << result.test_accuracy << "  test loss " << result.test_loss
                  << "  (best epoch " << result.best_epoch << ", val acc "
                  << result.best_val_accuracy << ", " << result.seconds << " s)\n";
      } else {
        // No classes: the best epoch is the lowest validation loss.
        std::cout << "test loss " << result.test_loss << "  (best epoch " << result.best_epoch
                  << " by validation loss, " << result.seconds << " s)\n";
      }
      if (result.averaged_test) {
        std::cout << "averaged weights (" << to_string(config.average.kind) << "): test accuracy "
                  << result.averaged_test->accuracy << "  test loss "
                  << result.averaged_test->loss << "  (" << result.averaged_model << ")\n";
      }
      if (config.snapshots > 0) {
        std::cout << config.snapshots << " snapshots: "
                  << (run_dir / "snapshots" / "ensemble.json").string() << "\n";
      }
      std::cout << "run folder: " << run_dir.string() << "\n";
      return 0;
    case RunStatus::Diverged:
      std::cerr << "descent: " << result.message << " (lower --lr); results in " << run_dir.string()
                << "\n";
      return 3;
    case RunStatus::Interrupted:
      std::cerr << "descent: " << result.message << "\n";
      return 130;
    case RunStatus::Pending:
      break;
  }
  return 1;
}

TrainResult train_in_folder(TrainConfig config, const DataSplits& data,
                            const std::filesystem::path& run_dir, bool resume, bool quiet,
                            const DataParallel& parallel) {
  fit_network_to_data(config, data);
  // Under data parallelism, the first process alone writes and prints.
  const bool first = parallel.rank == 0;
  quiet = quiet || !first;
  Trainer trainer(config, data, first ? run_dir : std::filesystem::path());
  trainer.set_data_parallel(parallel);
  const std::filesystem::path checkpoint = run_dir / "checkpoint.bin";
  if (resume) {
    if (!std::filesystem::exists(checkpoint)) {
      throw IoError("cannot open '" + checkpoint.string() + "': the run has no checkpoint yet");
    }
    trainer.resume(checkpoint);
  }
  ProgressPrinter printer(quiet);
  trainer.on_iteration = [&](const Progress& p) {
    printer.iteration(p);
    return stop_requested().load();
  };
  trainer.on_epoch = [&](const Progress& p) { printer.epoch(p); };
  // One process cannot stop alone while the others wait for its gradient, so
  // a run over several processes ends with mpirun and resumes from its last
  // checkpoint.
  std::optional<StopSignals> signals;
  if (parallel.ranks == 1) signals.emplace();

  if (!quiet) {
    std::cerr << (resume ? "resuming " : "training ") << layer_sizes(config.network) << " on "
              << to_string(config.data.kind) << " (" << data.train.size() << " train, "
              << data.validation.size() << " validation, " << data.test.size() << " test), "
              << method_text(config, data.train.size()) << ", " << config.threads << " thread(s)"
              << (parallel.ranks > 1 ? " on each of " + std::to_string(parallel.ranks) + " processes"
                                     : "")
              << "\n";
  }
  const TrainResult result = trainer.run();
  printer.finish();
  signals.reset();
  if (result.status == RunStatus::Finished && config.snapshots > 0) {
    save_ensemble(run_dir / "snapshots" / "ensemble.json",
                  snapshot_folders(run_dir, config.snapshots), Combine::mean_probabilities);
  }
  return result;
}

// --optimizer, --lr and every option of the optimizers; --schedule, its
// fields and --schedule-unit.
void add_optimizer_and_schedule_flags(CLI::App& app, TrainArgs& args) {
  add_optimizer_flags(app, args.optimizer);
  add_schedule_flags(app, args.schedule);
  app.add_option("--schedule-unit", args.schedule_unit,
                 "What the schedule's t counts: iteration (each update) or epoch")
      ->check(CLI::IsMember({"iteration", "epoch"}))
      ->group(kScheduleFlags);
}

void add_train_flags(CLI::App& app, TrainArgs& args, TrainFlags which) {
  const bool all = which == TrainFlags::all;
  TrainConfig& c = args.config;
  app.option_defaults()->always_capture_default();
  app.config_formatter(std::make_shared<JsonConfig>());
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.add_option_function<std::string>(
         "--config", [&app](const std::string& file) { apply_config_file(app, file); },
         "Read settings from a JSON file of flag names and values; flags on the command line "
         "override it")
      ->configurable(false);

  args.given = [&app](const std::string& flag) { return app.count(flag) > 0; };
  app.add_option("--problem", args.problem,
                 "A named test problem (descent problems lists them): its data, network, batch "
                 "size and epochs; --batch-size, --epochs, --validation-size and --train-size "
                 "still apply")
      ->check(CLI::IsMember(problem_names()));
  app.add_option("--dataset", args.dataset, "Data set format")
      ->check(CLI::IsMember({"fashion-mnist", "mnist", "cifar10", "csv"}));
  app.add_option("--data-dir", args.data_dir,
                 "Folder of the data files (default: the data set's Debian folder; csv: .)");
  app.add_option("--validation-size", c.data.validation_size,
                 "Samples carved from the training file for validation");
  app.add_option("--train-size", c.data.train_size,
                 "Train on a seeded subset of this many samples (0: all)");
  app.add_option("--data-seed", args.data_seed,
                 "Seed of the validation split and the training subset")
      ->default_str(all ? "--seed" : "0");
  app.add_option("--hidden", c.network.hidden,
                 "Hidden layer sizes, comma-separated; 0: no hidden layer (softmax regression)")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](const std::string& size) {
            return size.empty() ? std::string("expected a layer size, or 0 for none") : "";
          },
          "SIZE"));
  app.add_option("--init", args.init, "Weight initialization")
      ->check(CLI::IsMember({"he", "normal", "xavier", "pytorch"}));
  app.add_option("--weight-scale", c.network.weight_scale,
                 "Standard deviation of the weights for --init normal");
  app.add_option("--reg", c.network.reg, "L2 regularization strength: loss += 0.5 reg sum(W^2)");
  app.add_option("--dropout", c.network.dropout, "Probability of dropping a hidden unit (0: off)");
  app.add_flag("--batchnorm,!--no-batchnorm", c.network.batchnorm,
               "Batch normalization after each hidden affine layer");
  app.add_flag("--no-decay-on-bias", c.no_decay_on_bias,
               "No weight decay on biases and batch-norm parameters");
  add_optimizer_and_schedule_flags(app, args);
  app.add_option("--epochs", c.epochs, "Passes over the training set");
  if (all) {
    app.add_option("--ema", args.ema,
                   "Also keep an exponential moving average of the weights with this decay, "
                   "e.g. 0.999, updated after every step; written as model_ema.bin");
    app.add_option("--swa-start", args.swa_start,
                   "Stochastic weight averaging: the mean of the weights at the end of each "
                   "epoch from this one (1-based) on; written as model_swa.bin");
    app.add_option("--swa-lr", args.swa_lr,
                   "With --swa-start: constant learning rate from that epoch on (0: keep the "
                   "schedule)");
    app.add_option("--snapshots", args.snapshots,
                   "Snapshot ensemble: a cyclic cosine schedule of this many cycles, the weights "
                   "at the end of each saved in snapshots/<k>/");
    app.add_option("--teacher", c.teacher,
                   "Distillation: learn also from this model's probabilities at --temperature (a "
                   "run folder, model.bin or ensemble.json)");
    app.add_option("--temperature", args.temperature,
                   "With --teacher: softmax temperature T of the soft targets")
        ->default_str(shortest(Distillation{}.temperature));
    app.add_option("--alpha", args.alpha,
                   "With --teacher: weight of the soft targets' loss (times T^2); 1 - alpha "
                   "weighs the labels' loss")
        ->default_str(shortest(Distillation{}.alpha));
  }
  app.add_option("--batch-size", c.batch_size,
                 "Samples per minibatch; lbfgs, cg: per iteration, 0 for the whole training set");
  app.add_flag("--drop-last", c.drop_last,
               "Leave out each epoch's last batch when it is smaller than --batch-size");
  app.add_flag("--shuffle-once", c.shuffle_once,
               "Shuffle the training set once and visit it in that order every epoch");
  if (all) {
    app.add_option("--seed", c.seed, "Seed of every random choice of the run");
    app.add_option("--threads", c.threads, "Threads for OpenMP and OpenBLAS together")
        ->default_str("all cores");
  }
  app.add_option("--train-eval-samples", c.train_eval_samples,
                 "Training samples on which training accuracy is measured");
  app.add_option("--checkpoint-every", c.checkpoint_every,
                 "Also checkpoint every N iterations (0: at epoch ends only)");
  app.add_option("--diverge-factor", c.diverge_factor,
                 "Stop as diverged when the average loss exceeds this many times the first "
                 "loss (0: only on NaN or infinity)");
}

namespace {

// The problem's data, network, batch size and epochs in place of the flags'
// defaults; --batch-size, --epochs, --validation-size and --train-size given
// still apply. The flags that would change the problem's data or network are
// refused.
void take_problem(const TrainArgs& args, TrainConfig& config) {
  for (const char* flag : {"--dataset", "--hidden", "--init", "--weight-scale", "--reg",
                           "--dropout", "--batchnorm", "--no-batchnorm"}) {
    if (args.given(flag)) {
      throw ConfigError(std::string(flag + 2) + ": cannot be combined with --problem " +
                        args.problem + ", which fixes the data and the network");
    }
  }
  const TrainConfig problem = train_config(find_problem(args.problem));
  config.network = problem.network;
  const DataOptions flags = config.data;
  config.data = problem.data;
  config.data.train_size = flags.train_size;
  if (args.given("--validation-size")) config.data.validation_size = flags.validation_size;
  if (!args.given("--batch-size")) config.batch_size = problem.batch_size;
  if (!args.given("--epochs")) config.epochs = problem.epochs;
  config.drop_last = config.drop_last || problem.drop_last;
}

}  // namespace

TrainConfig resolve(const TrainArgs& args) {
  TrainConfig config = args.config;
  if (args.problem.empty()) {
    config.data.kind = parse_dataset_kind(args.dataset);
    config.network.init = parse_init(args.init);
    if (config.network.hidden.empty()) {
      throw ConfigError("hidden: expected layer sizes, e.g. --hidden 100,100, or 0 for none");
    }
    if (config.network.hidden == std::vector<std::size_t>{0}) config.network.hidden.clear();
  } else {
    take_problem(args, config);
  }
  config.data.data_dir = args.data_dir;
  config.data.seed = args.data_seed.value_or(config.seed);
  if (config.threads == 0) config.threads = static_cast<int>(std::thread::hardware_concurrency());
  config.optimizer = args.optimizer.name;
  config.optimizer_options = args.optimizer.options;
  config.clipping = args.optimizer.clipping;
  config.learning_rate = resolved_learning_rate(args.optimizer);
  config.schedule = args.schedule;
  config.schedule.validate();
  config.schedule_per_epoch = args.schedule_unit == "epoch";
  if (args.ema && args.swa_start) {
    throw ConfigError("ema: cannot be combined with --swa-start; choose one way of averaging");
  }
  if (args.swa_lr && !args.swa_start) throw ConfigError("swa-lr: needs --swa-start");
  if (args.ema) {
    config.average.kind = AverageKind::ema;
    config.average.ema_decay = *args.ema;
  }
  if (args.swa_start) {
    config.average.kind = AverageKind::swa;
    config.average.swa_start = *args.swa_start;
    config.average.swa_lr = args.swa_lr.value_or(0);
  }
  if ((args.temperature || args.alpha) && config.teacher.empty()) {
    throw ConfigError(std::string(args.temperature ? "temperature" : "alpha") +
                      ": needs --teacher, the model to distill");
  }
  if (!config.teacher.empty()) {
    config.teacher = std::filesystem::absolute(config.teacher).lexically_normal().string();
    config.distillation.temperature = args.temperature.value_or(Distillation{}.temperature);
    config.distillation.alpha = args.alpha.value_or(Distillation{}.alpha);
  }
  if (args.snapshots) {
    if (*args.snapshots == 0) throw ConfigError("snapshots: expected at least 1, got 0");
    config.snapshots = *args.snapshots;
  }
  config.validate();
  return config;
}

TrainConfig parse_train_config(std::istream& json) {
  nlohmann::json settings;
  try {
    settings = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("not valid JSON: ") + e.what());
  }
  TrainConfig config = train_config_from_json(settings);
  config.validate();
  return config;
}

TrainConfig read_run_config(const std::filesystem::path& folder) {
  const std::filesystem::path file = folder / "config.json";
  std::ifstream in(file);
  if (!in) throw IoError("cannot open '" + file.string() + "': no run config there");
  try {
    return parse_train_config(in);
  } catch (const ConfigError& e) {
    throw ConfigError(file.string() + ": " + e.what());
  }
}

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* command = app.add_subcommand("train", "Train a fully connected network");
  add_train_flags(*command, *args);
  command->add_option("--out", args->out, "Run folder (default: runs/train-<date>-<time>)")
      ->configurable(false);
  command
      ->add_option("--resume", args->resume,
                   "Continue the run in this folder from its last checkpoint")
      ->configurable(false);
  command->add_flag("--quiet,-q", args->quiet, "No progress output")->configurable(false);
  command
      ->add_flag("--distributed", args->distributed,
                 "Synchronous data-parallel training over the processes of an MPI job: "
                 "mpirun -np K descent train --distributed ...")
      ->configurable(false);
  command->final_callback([args, command] {
    const int code = run_train(*args, *command);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

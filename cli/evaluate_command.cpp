// descent evaluate: scores a saved model or ensemble on a split of a data set.
#include "evaluate_command.hpp"

#include <fstream>
#include <iostream>
#include <optional>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "descent/train/model_file.hpp"
#include "train_command.hpp"

namespace descent::cli {

namespace {

namespace fs = std::filesystem;

struct EvaluateArgs {
  std::string model;
  std::string split = "test";
  std::string combine;
  std::string dataset;
  std::string data_dir;
  std::size_t validation_size = 0;
  std::size_t train_size = 0;
  std::uint64_t data_seed = 0;
};

// The data of the model's run (its config.json, if there is one), with the
// flags given on the command line over it.
DataOptions data_options(const EvaluateArgs& args, const CLI::App& command,
                         const fs::path& run_folder) {
  DataOptions data;
  if (!run_folder.empty() && fs::exists(run_folder / "config.json")) {
    data = read_run_config(run_folder).data;
  }
  if (command.get_option("--dataset")->count() > 0) {
    data.kind = parse_dataset_kind(args.dataset);
    if (command.get_option("--data-dir")->count() == 0) data.data_dir.clear();
  }
  if (command.get_option("--data-dir")->count() > 0) data.data_dir = args.data_dir;
  if (command.get_option("--validation-size")->count() > 0) {
    data.validation_size = args.validation_size;
  }
  if (command.get_option("--train-size")->count() > 0) data.train_size = args.train_size;
  if (command.get_option("--data-seed")->count() > 0) data.seed = args.data_seed;
  return data;
}

const Dataset& split_of(const DataSplits& splits, const std::string& split) {
  if (split == "train") return splits.train;
  if (split == "validation") return splits.validation;
  return splits.test;
}

void check_input(const Dataset& data, std::size_t input_dim, const std::string& model) {
  if (data.dim() != input_dim) {
    throw ShapeError(model + ": the model takes inputs of size " + std::to_string(input_dim) +
                     ", the data set has " + std::to_string(data.dim()));
  }
}

void print(const std::string& label, const Network::Evaluation& e) {
  std::cout << label << ": accuracy " << shortest(e.accuracy) << "  loss " << shortest(e.loss)
            << "\n";
}

int run_evaluate(const EvaluateArgs& args, const CLI::App& command) {
  const fs::path model = args.model;
  if (!fs::exists(model)) throw IoError("cannot open '" + model.string() + "': no such file");
  const bool ensemble_file = model.extension() == ".json";
  if (ensemble_file) {
    LoadedEnsemble loaded = load_ensemble(model);
    for (const std::string& warning : loaded.warnings) {
      std::cerr << "descent: warning: " << warning << "\n";
    }
    const Combine combine = args.combine.empty() ? loaded.combine : parse_combine(args.combine);
    Ensemble& ensemble = loaded.ensemble;
    const DataSplits splits = load_splits(data_options(args, command, ensemble.folders()[0]));
    const Dataset& data = split_of(splits, args.split);
    check_input(data, ensemble.input_dim(), model.string());
    std::cout << "ensemble of " << ensemble.size() << " on " << data.size() << " " << args.split
              << " samples\n";
    const auto members = ensemble.evaluate_members(data.features, data.labels);
    for (std::size_t i = 0; i < members.size(); ++i) {
      print("member " + ensemble.folders()[i].lexically_normal().string(), members[i]);
    }
    print("ensemble " + to_string(combine), ensemble.evaluate(data.features, data.labels, combine));
    if (combine == Combine::vote) std::cout << "(the loss of a vote is that of mean-probs)\n";
    return 0;
  }
  const fs::path file = fs::is_directory(model) ? model / "model.bin" : model;
  if (!fs::exists(file)) {
    throw IoError("cannot open '" + file.string() + "': the run folder has no model");
  }
  if (!args.combine.empty()) throw ConfigError("combine: only for an ensemble (ensemble.json)");
  Network network = load_model(file);
  const DataSplits splits = load_splits(data_options(args, command, file.parent_path()));
  const Dataset& data = split_of(splits, args.split);
  check_input(data, network.config().input_dim, file.string());
  std::cout << "model " << file.string() << " on " << data.size() << " " << args.split
            << " samples\n";
  print("model", network.evaluate(data.features, data.labels));
  return 0;
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* command = app.add_subcommand(
      "evaluate",
      "Accuracy and loss of a saved model or ensemble on a data set (by default the test set "
      "of the model's own run)");
  command
      ->add_option("model", args->model,
                   "A run folder, its model.bin, or an ensemble.json written by descent ensemble")
      ->required();
  command->add_option("--split", args->split, "Which split to score")
      ->check(CLI::IsMember({"test", "validation", "train"}))
      ->capture_default_str();
  command->add_option("--combine", args->combine,
                      "How an ensemble combines its members: mean-probs, vote or mean-logits "
                      "(default: the ensemble file's)");
  command->add_option("--dataset", args->dataset, "Data set format (default: the run's)")
      ->check(CLI::IsMember({"fashion-mnist", "mnist", "cifar10", "csv"}));
  command->add_option("--data-dir", args->data_dir,
                      "Folder of the data files (default: the run's)");
  command->add_option("--validation-size", args->validation_size,
                      "Samples carved from the training file for validation (default: the run's)");
  command->add_option("--train-size", args->train_size,
                      "Keep a seeded subset of this many training samples (default: the run's)");
  command->add_option("--data-seed", args->data_seed,
                      "Seed of the validation split and the subset (default: the run's)");
  command->final_callback([args, command] {
    const int code = run_evaluate(*args, *command);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

// descent ensemble: trains or gathers the members (runs of several seeds, the
// best runs of a compare folder, or the snapshots of one run), then scores and
// charts the ensemble.
#include "ensemble_command.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <variant>

#include "given_flags.hpp"
#include "dated_folder.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "descent/ensemble/ensemble_score.hpp"
#include "descent/experiment/sweep.hpp"
#include "descent/experiment/sweep_folder.hpp"
#include "descent/report/ensemble_report.hpp"
#include "descent/report/report.hpp"
#include "descent/train/snapshot.hpp"
#include "evaluate_command.hpp"
#include "seed_runs.hpp"
#include "stop_signal.hpp"
#include "train_command.hpp"

namespace descent::cli {

namespace {

namespace fs = std::filesystem;

struct EnsembleArgs {
  TrainArgs train = with_divergence_bound();
  std::size_t members = 5;
  std::vector<std::uint64_t> seeds;
  std::string from_compare;
  std::string combine = "mean-probs";
  std::size_t jobs = 0;
  std::string out;
  bool quiet = false;
};

// The members of a snapshot ensemble: one run in out/run, trained (or
// continued from its checkpoint) with --snapshots; an exit code if it did not
// finish.
std::variant<std::vector<fs::path>, int> train_snapshots(const EnsembleArgs& args,
                                                         const TrainConfig& config,
                                                         const DataSplits& data,
                                                         const fs::path& out) {
  const fs::path run_dir = out / "run";
  if (!args.quiet) {
    std::cerr << "ensemble: " << config.snapshots << " snapshots of one " << config.optimizer
              << " run at lr " << shortest(config.learning_rate) << "\n  folder: " << out.string()
              << "\n";
  }
  const TrainResult result =
      train_in_folder(config, data, run_dir, fs::exists(run_dir / "checkpoint.bin"), args.quiet);
  if (result.status == RunStatus::Diverged) {
    std::cerr << "descent: " << result.message << " (lower --lr); results in " << run_dir.string()
              << "\n";
    return 3;
  }
  if (result.status == RunStatus::Interrupted) {
    std::cerr << "descent: the training stopped; continue it by running the same command "
                 "with --out "
              << out.string() << "\n";
    return 130;
  }
  return snapshot_folders(run_dir, config.snapshots);
}

// The table of the members and of the three rules, the gains and the cost.
void print_score(const EnsembleScore& score) {
  std::cout << "\n"
            << std::left << std::setw(44) << "model" << std::right << std::setw(10) << "test acc"
            << std::setw(11) << "test loss"
            << "\n";
  const auto row = [](const std::string& label, const Network::Evaluation& e) {
    std::cout << std::left << std::setw(44) << label << std::right << std::setw(10)
              << percent(e.accuracy) << std::setw(11) << std::fixed << std::setprecision(4)
              << e.loss << "\n";
    std::cout.unsetf(std::ios::fixed);
  };
  for (std::size_t i = 0; i < score.members.size(); ++i) row(score.labels[i], score.members[i]);
  row("mean member", score.mean_member);
  for (const Combine c : all_combines()) {
    row("ensemble " + to_string(c) + (c == Combine::vote ? " (loss of mean-probs)" : ""),
        score.ensemble.at(c));
  }
  const auto points = [](double gain) {
    std::ostringstream text;
    text << std::showpos << std::fixed << std::setprecision(2) << 100 * gain << " points";
    return text.str();
  };
  std::cout << "\n"
            << to_string(score.combine) << ": "
            << points(score.ensemble.at(score.combine).accuracy - score.best_member.accuracy)
            << " over the best member, "
            << points(score.ensemble.at(score.combine).accuracy - score.mean_member.accuracy)
            << " over the mean member\n"
            << "prediction: " << std::fixed << std::setprecision(2) << score.one_model_us
            << " us per sample for one model, " << score.ensemble_us << " us for the ensemble of "
            << score.members.size() << "\n";
  std::cout.unsetf(std::ios::fixed);
  std::cout << "accuracy by size (" << to_string(score.combine) << "):";
  for (std::size_t k = 0; k < score.accuracy_by_size.at(score.combine).size(); ++k) {
    std::cout << " " << k + 1 << ": " << percent(score.accuracy_by_size.at(score.combine)[k]);
  }
}

int run_ensemble(const EnsembleArgs& args, CLI::App& command) {
  const Combine combine = parse_combine(args.combine);
  if (args.jobs == 0 && command.get_option("--jobs")->count() > 0) {
    throw ConfigError("jobs: expected at least 1, got 0");
  }
  const fs::path out =
      args.out.empty() ? fs::path(dated_folder("runs/ensemble-")) : fs::path(args.out);
  std::vector<fs::path> folders;
  std::optional<DataSplits> data;
  if (!args.from_compare.empty()) {
    refuse_flags_besides(command, {"--from-compare", "--combine", "--out", "--quiet", "--jobs"},
                         "--from-compare, whose runs were already trained");
    folders = best_run_of_each_optimizer(read_sweep_folder(args.from_compare));
    data = load_splits(read_run_config(folders.front()).data);
  } else if (args.train.snapshots) {
    for (const char* name : {"--members", "--seeds", "--jobs"}) {
      if (command.get_option(name)->count() > 0) {
        throw ConfigError(std::string(name) +
                          ": cannot be combined with --snapshots, whose "
                          "members come from one run");
      }
    }
    const TrainConfig config = resolve(args.train);
    data = load_splits(config.data);
    auto trained = train_snapshots(args, config, *data, out);
    if (const int* code = std::get_if<int>(&trained)) return *code;
    folders = std::get<std::vector<fs::path>>(std::move(trained));
  } else {
    if (args.members == 0) throw ConfigError("members: expected at least 1, got 0");
    if (!args.seeds.empty() && command.get_option("--members")->count() > 0 &&
        args.seeds.size() != args.members) {
      throw ConfigError("seeds: " + std::to_string(args.seeds.size()) + " seeds for " +
                        std::to_string(args.members) + " members");
    }
    const TrainConfig config = resolve(args.train);
    std::vector<std::uint64_t> seeds = args.seeds;
    if (seeds.empty()) {
      for (std::size_t i = 0; i < args.members; ++i) seeds.push_back(i);
    }
    const Experiment experiment = seed_experiment(
        "ensemble",
        "Ensemble of " + config.optimizer + " runs at lr " + shortest(config.learning_rate), config,
        seeds);
    const std::size_t jobs =
        args.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : args.jobs;
    data = load_splits(config.data);
    if (!args.quiet) {
      std::cerr << "ensemble: " << experiment.seeds.size() << " members, " << experiment.title
                << ", " << jobs << " at a time\n  folder: " << out.string() << "\n";
    }
    const SweepResult sweep = train_seed_runs(experiment, *data, out, jobs, args.quiet);
    if (sweep.interrupted) {
      std::cerr << "descent: the training stopped; continue it by running the same command "
                   "with --out "
                << out.string() << "\n";
      return 130;
    }
    folders = run_folders(sweep, out);
  }

  std::vector<std::string> warnings;
  Ensemble ensemble = Ensemble::load(folders, warnings);
  for (const std::string& warning : warnings) std::cerr << "descent: warning: " << warning << "\n";
  const EnsembleScore score = score_ensemble(ensemble, data->test, combine);
  fs::create_directories(out);
  save_ensemble(out / "ensemble.json", ensemble.folders(), combine);
  write_file_atomic(out / "ensemble_metrics.json",
                    to_json(score, ensemble, warnings).dump(2) + "\n");
  write_ensemble_report(out, score);
  print_score(score);
  std::cout << "\n\nensemble: " << (out / "ensemble.json").string()
            << "\nmetrics:  " << (out / "ensemble_metrics.json").string()
            << "\nchart:    " << (out / "size.png").string()
            << "\nreport:   " << (out / "report.html").string() << "\n";
  return 0;
}

}  // namespace

void add_ensemble_command(CLI::App& app) {
  auto args = std::make_shared<EnsembleArgs>();
  CLI::App* command = app.add_subcommand(
      "ensemble",
      "Train N members of one configuration with different seeds (or take the best run of each "
      "optimizer of a compare folder, or the snapshots of one run) and evaluate their ensemble "
      "on the test set");
  add_train_flags(*command, args->train, TrainFlags::for_sweeps);
  command->add_option("--members", args->members, "Members to train")
      ->capture_default_str()
      ->configurable(false);
  command
      ->add_option("--snapshots", args->train.snapshots,
                   "Instead of members of several seeds: the snapshots of one run under a cyclic "
                   "cosine schedule of this many cycles (Huang et al. 2017)")
      ->configurable(false);
  command
      ->add_option("--seeds", args->seeds,
                   "The members' seeds, comma-separated (default: 0, 1, ..., members - 1)")
      ->delimiter(',')
      ->configurable(false);
  command
      ->add_option("--from-compare", args->from_compare,
                   "Instead of training: the best finished run (by validation accuracy) of each "
                   "optimizer of this compare folder")
      ->configurable(false);
  command
      ->add_option("--combine", args->combine,
                   "The ensemble's rule, saved in ensemble.json: mean-probs, vote or mean-logits "
                   "(all three are reported)")
      ->check(CLI::IsMember({"mean-probs", "vote", "mean-logits"}))
      ->capture_default_str()
      ->configurable(false);
  command->add_option("--jobs,-j", args->jobs, "Members trained at the same time, one thread each")
      ->default_str("all cores")
      ->configurable(false);
  command->add_option("--out", args->out, "Output folder (default: runs/ensemble-<date>-<time>)")
      ->configurable(false);
  command->add_flag("--quiet,-q", args->quiet, "No progress output")->configurable(false);
  command->final_callback([args, command] {
    const int code = run_ensemble(*args, *command);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

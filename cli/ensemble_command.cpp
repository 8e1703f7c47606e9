// descent ensemble: trains or gathers the members (runs of several seeds, the
// best runs of a compare folder, or the snapshots of one run), then scores and
// charts the ensemble.
#include "ensemble_command.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <variant>

#include "dated_folder.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "descent/report/plot_file.hpp"
#include "descent/report/report.hpp"
#include "descent/experiment/sweep.hpp"
#include "descent/experiment/sweep_folder.hpp"
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

// One member of each optimizer of a compare folder: its finished run of the
// highest final validation accuracy (the first of equals).
std::vector<fs::path> best_of_compare(const fs::path& dir) {
  const SweepFolder sweep = read_sweep_folder(dir);
  std::vector<std::string> order;
  std::map<std::string, const FolderRun*> best;
  for (const FolderRun& run : sweep.runs) {
    if (run.status != RunStatus::Finished) continue;
    const auto it = best.find(run.optimizer);
    if (it == best.end()) {
      order.push_back(run.optimizer);
      best[run.optimizer] = &run;
    } else if (run.val_acc > it->second->val_acc) {
      it->second = &run;
    }
  }
  if (order.empty()) throw ConfigError("from-compare: '" + dir.string() + "' has no finished run");
  std::vector<fs::path> folders;
  for (const std::string& name : order) folders.push_back(dir / "runs" / best.at(name)->name);
  return folders;
}

// Seconds of the fastest of three calls of `f`: the time of prediction
// without the noise of a busy machine.
template <typename F>
double fastest_seconds(F&& f) {
  double best = 0;
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = i == 0 ? s : std::min(best, s);
  }
  return best;
}

Figure size_figure(const std::map<Combine, std::vector<double>>& by_size,
                   const std::vector<Network::Evaluation>& members) {
  Figure figure;
  figure.id = "size";
  figure.title = "Test accuracy against ensemble size";
  figure.x_label = "members";
  figure.y_label = "test accuracy (%)";
  const std::map<Combine, std::string> colors = {{Combine::mean_probabilities, "#1f77b4"},
                                                 {Combine::vote, "#ff7f0e"},
                                                 {Combine::mean_logits, "#2ca02c"}};
  for (const Combine combine : all_combines()) {
    Series series;
    series.label = "ensemble, " + to_string(combine);
    series.color = colors.at(combine);
    const std::vector<double>& accuracy = by_size.at(combine);
    for (std::size_t k = 0; k < accuracy.size(); ++k) {
      series.x.push_back(static_cast<double>(k + 1));
      series.y.push_back(100 * accuracy[k]);
    }
    figure.series.push_back(std::move(series));
  }
  Series alone;
  alone.label = "member k alone";
  alone.style = SeriesStyle::points;
  alone.color = "#7f7f7f";
  for (std::size_t k = 0; k < members.size(); ++k) {
    alone.x.push_back(static_cast<double>(k + 1));
    alone.y.push_back(100 * members[k].accuracy);
  }
  figure.series.push_back(std::move(alone));
  return figure;
}

nlohmann::json scores_json(const Network::Evaluation& e) {
  return {{"test_acc", e.accuracy}, {"test_loss", e.loss}};
}

// The members of a snapshot ensemble: one run in out/run, trained (or
// continued from its checkpoint) with --snapshots; an exit code if it did not
// finish.
std::variant<std::vector<fs::path>, int> train_snapshots(const EnsembleArgs& args,
                                                        const TrainConfig& config,
                                                        const DataSplits& data, const fs::path& out) {
  const fs::path run_dir = out / "run";
  if (!args.quiet) {
    std::cerr << "ensemble: " << config.snapshots << " snapshots of one " << config.optimizer
              << " run at lr " << shortest(config.learning_rate) << "\n  folder: " << out.string()
              << "\n";
  }
  const TrainResult result = train_in_folder(config, data, run_dir,
                                             fs::exists(run_dir / "checkpoint.bin"), args.quiet);
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

// report.html of the ensemble: the table of the members and of the three
// rules, the gains, the cost and the chart of accuracy against size.
void write_ensemble_page(const fs::path& out, const std::vector<std::string>& labels,
                         const std::vector<Network::Evaluation>& members,
                         const Network::Evaluation& mean,
                         const std::map<Combine, Network::Evaluation>& scores, Combine combine,
                         const std::string& cost, const Figure& size_chart) {
  const auto row = [](const std::string& label, const Network::Evaluation& e,
                      const std::string& css) {
    std::ostringstream loss;
    loss << std::fixed << std::setprecision(4) << e.loss;
    return "<tr" + css + "><td>" + html_escape(label) + "</td><td class=\"num\">" +
           percent(e.accuracy) + "</td><td class=\"num\">" + loss.str() + "</td></tr>\n";
  };
  std::string table =
      "<table id=\"ensemble-table\"><thead><tr><th>model</th><th>test acc</th><th>test "
      "loss</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < members.size(); ++i) table += row(labels[i], members[i], "");
  table += row("mean member", mean, " class=\"mean\"");
  for (const Combine c : all_combines()) {
    table += row("ensemble " + to_string(c) + (c == Combine::vote ? " (loss of mean-probs)" : ""),
                 scores.at(c), c == combine ? " class=\"best\"" : "");
  }
  table += "</tbody></table>\n";
  const std::string title = "Ensemble of " + std::to_string(members.size()) + " members";
  const std::string body =
      "<header><h1>" + html_escape(title) + "</h1>\n<p class=\"meta\">Test set; the rule of "
      "ensemble.json is <b>" + html_escape(to_string(combine)) + "</b>. " + html_escape(cost) +
      "</p></header>\n<section id=\"members\"><h2>Members and ensemble</h2>\n" + table +
      "</section>\n<section id=\"size\"><h2>Accuracy against ensemble size</h2>\n<p "
      "class=\"meta\">The first k members combined, k = 1 .. " +
      std::to_string(members.size()) + "; grey points: member k alone.</p>\n" +
      chart_canvases({size_chart}) + "</section>\n";
  write_file_atomic(out / "report.html",
                    chart_page(title, body, {size_chart}, read_file(chartjs_path())));
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
    for (const CLI::Option* option : command.get_options()) {
      const std::string name = option->get_name();
      if (option->count() > 0 && name != "--from-compare" && name != "--combine" &&
          name != "--out" && name != "--quiet" && name != "--jobs") {
        throw ConfigError(name +
                          ": cannot be combined with --from-compare, whose runs were "
                          "already trained");
      }
    }
    folders = best_of_compare(args.from_compare);
    data = load_splits(read_run_config(folders.front()).data);
  } else if (args.train.snapshots) {
    for (const char* name : {"--members", "--seeds", "--jobs"}) {
      if (command.get_option(name)->count() > 0) {
        throw ConfigError(std::string(name) + ": cannot be combined with --snapshots, whose "
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
  const Dataset& test = data->test;
  if (test.dim() != ensemble.input_dim()) {
    throw ShapeError("ensemble: the members take inputs of size " +
                     std::to_string(ensemble.input_dim()) + ", the test set has " +
                     std::to_string(test.dim()));
  }
  fs::create_directories(out);
  save_ensemble(out / "ensemble.json", ensemble.folders(), combine);

  const std::vector<Network::Evaluation> members =
      ensemble.evaluate_members(test.features, test.labels);
  Network::Evaluation best = members[0];
  Network::Evaluation mean{0, 0};
  for (const auto& m : members) {
    if (m.accuracy > best.accuracy) best = m;
    mean.accuracy += m.accuracy / static_cast<double>(members.size());
    mean.loss += m.loss / static_cast<double>(members.size());
  }
  std::map<Combine, Network::Evaluation> scores;
  std::map<Combine, std::vector<double>> by_size;
  nlohmann::json ensemble_json, gain_best, gain_mean, size_json;
  for (const Combine c : all_combines()) {
    scores.emplace(c, ensemble.evaluate(test.features, test.labels, c));
    by_size[c] = ensemble.accuracy_by_size(test.features, test.labels, c);
    ensemble_json[to_string(c)] = scores_json(scores.at(c));
    gain_best[to_string(c)] = scores.at(c).accuracy - best.accuracy;
    gain_mean[to_string(c)] = scores.at(c).accuracy - mean.accuracy;
    size_json[to_string(c)] = by_size[c];
  }
  ensemble_json["vote"]["loss_of"] = "mean-probs";

  const double n = static_cast<double>(test.size());
  const double one_us =
      1e6 / n * fastest_seconds([&] { ensemble.member(0).evaluate(test.features, test.labels); });
  const double all_us =
      1e6 / n * fastest_seconds([&] { ensemble.predict(test.features, combine); });

  nlohmann::json member_rows = nlohmann::json::array();
  for (std::size_t i = 0; i < members.size(); ++i) {
    nlohmann::json row = scores_json(members[i]);
    row["folder"] = ensemble.folders()[i].lexically_normal().string();
    member_rows.push_back(row);
  }
  const nlohmann::json metrics = {
      {"combine", to_string(combine)},
      {"test_samples", test.size()},
      {"members", member_rows},
      {"left_out", warnings},
      {"best_member", scores_json(best)},
      {"mean_member", scores_json(mean)},
      {"ensemble", ensemble_json},
      {"gain_over_best", gain_best},
      {"gain_over_mean", gain_mean},
      {"us_per_sample", {{"one_model", one_us}, {"ensemble", all_us}}},
      {"accuracy_by_size", size_json},
  };
  write_file_atomic(out / "ensemble_metrics.json", metrics.dump(2) + "\n");
  const Figure figure = size_figure(by_size, members);
  save_figure(figure, out / "size.png");
  save_figure(figure, out / "size.svg");
  std::vector<std::string> labels;
  for (const fs::path& folder : ensemble.folders()) {
    labels.push_back((folder.parent_path().filename() / folder.filename()).string());
  }
  std::ostringstream cost;
  cost << "Prediction: " << std::fixed << std::setprecision(2) << one_us
       << " us per sample for one model, " << all_us << " us for the ensemble.";
  write_ensemble_page(out, labels, members, mean, scores, combine, cost.str(), figure);

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
  for (std::size_t i = 0; i < members.size(); ++i) row(labels[i], members[i]);
  row("mean member", mean);
  for (const Combine c : all_combines()) {
    row("ensemble " + to_string(c) + (c == Combine::vote ? " (loss of mean-probs)" : ""),
        scores.at(c));
  }
  const auto points = [](double gain) {
    std::ostringstream text;
    text << std::showpos << std::fixed << std::setprecision(2) << 100 * gain << " points";
    return text.str();
  };
  std::cout << "\n"
            << to_string(combine) << ": " << points(scores.at(combine).accuracy - best.accuracy)
            << " over the best member, " << points(scores.at(combine).accuracy - mean.accuracy)
            << " over the mean member\n"
            << "prediction: " << std::fixed << std::setprecision(2) << one_us
            << " us per sample for one model, " << all_us << " us for the ensemble of "
            << ensemble.size() << "\n";
  std::cout.unsetf(std::ios::fixed);
  std::cout << "accuracy by size (" << to_string(combine) << "):";
  for (std::size_t k = 0; k < by_size.at(combine).size(); ++k) {
    std::cout << " " << k + 1 << ": " << percent(by_size.at(combine)[k]);
  }
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

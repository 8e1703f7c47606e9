#include "compare_command.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "dated_folder.hpp"
#include "distributed_train.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "descent/core/text.hpp"
#include "descent/experiment/optimizer_paths.hpp"
#include "descent/report/report.hpp"
#include "descent/experiment/findings.hpp"
#include "descent/experiment/sweep.hpp"
#include "descent/experiment/sweep_folder.hpp"
#include "descent/experiment/sweep_profiles.hpp"
#include "descent/experiment/tuning_protocol.hpp"
#include "descent/train/lr_finder.hpp"
#include "descent/train/problem.hpp"
#include "experiment_file.hpp"
#include "given_flags.hpp"
#include "option_flags.hpp"
#include "stop_signal.hpp"
#include "train_command.hpp"

namespace descent::cli {

namespace {

namespace fs = std::filesystem;

struct CompareArgs {
  TrainArgs train = with_divergence_bound();
  std::string experiment_file;
  bool quick = false;
  std::vector<std::string> optimizers;
  std::vector<double> lrs;
  std::vector<std::string> schedules;
  std::vector<std::uint64_t> seeds;
  std::size_t jobs = 0;
  int threads_per_run = 1;
  std::string out;
  std::string resume;
  bool lr_find = false;
  bool quiet = false;
  bool distributed = false;  // under mpirun: the processes share the runs
  std::string target = "val_acc=0.88";
  bool keep_checkpoints = false;
  bool keep_models = false;
  std::size_t studies = 0;  // the tuning protocol: studies x trials (0: none)
  std::size_t trials = 0;
  std::vector<std::string> problems;  // several problems: one sweep folder each
};

// The functions of the report's optimizer-path pictures.
const std::vector<std::string> kPathFunctions = {"rosenbrock", "beale", "saddle"};

// "sgd:5e-3" or "adam": an optimizer with an optional learning rate of its own.
OptimizerChoice parse_optimizer_item(const std::string& item) {
  OptimizerChoice choice;
  const auto colon = item.find(':');
  choice.name = item.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string lr = item.substr(colon + 1);
    try {
      std::size_t used = 0;
      choice.learning_rates = {std::stod(lr, &used)};
      if (used != lr.size()) throw std::invalid_argument(lr);
    } catch (const std::exception&) {
      throw ConfigError("optimizers: '" + item + "': expected NAME or NAME:LR, e.g. adam:1e-3");
    }
  }
  check_optimizer(choice.name, {});
  return choice;
}

// Whether a flag of the --help section `group` was given on the command line.
bool given(const CLI::App& command, const std::string& group) {
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_group() == group && option->count() > 0) return true;
  }
  return false;
}

bool given_flag(const CLI::App& command, const std::string& flag) {
  return command.get_option(flag)->count() > 0;
}

void check_not_both(const CLI::App& command, const std::string& flag, bool other,
                    const std::string& other_flag) {
  if (given_flag(command, flag) && other) {
    throw ConfigError(flag.substr(2) + ": cannot be combined with " + other_flag +
                      "; give one of them");
  }
}

// The grid's flags and the flags of one run that would set the same thing.
void check_grid_flags(const CompareArgs& args, const CLI::App& command) {
  check_not_both(command, "--optimizer", !args.optimizers.empty(), "--optimizers");
  check_not_both(command, "--lr", !args.lrs.empty(), "--lrs");
  if (given(command, kScheduleFlags) && !args.schedules.empty()) {
    throw ConfigError(
        "schedules: cannot be combined with the flags of one schedule (--schedule, "
        "--schedule-unit, ...); give one of them");
  }
}

// The sweep given by --optimizers, --lrs, --schedules and --seeds, or by the
// optimizer and schedule flags of one run (--optimizer, --lr, --beta1, ...,
// --schedule, --period, ...): one group. Each optimizer takes the option
// flags it has; `base` holds the schedule of the schedule flags.
Experiment grid_experiment(const CompareArgs& args, const CLI::App& command,
                           const TrainConfig& base) {
  Experiment e;
  e.name = "grid";
  e.title = "Optimizers x learning rates x schedules";
  GroupSpec group;
  group.name = "grid";
  group.title = e.title;
  std::vector<std::string> names = args.optimizers;
  if (names.empty()) {
    names = given_flag(command, "--optimizer")
                ? std::vector<std::string>{args.train.optimizer.name}
                : std::vector<std::string>{"sgd", "momentum", "rmsprop", "adam"};
  }
  const OptimizerOptions& options = args.train.optimizer.options;
  std::set<std::string> taken;
  for (const auto& item : names) {
    OptimizerChoice choice = parse_optimizer_item(item);
    choice.options = options_taken_by(choice.name, options);
    for (const auto& [name, value] : choice.options) taken.insert(name);
    group.optimizers.push_back(std::move(choice));
  }
  for (const auto& [name, value] : options) {
    if (!taken.contains(name)) {
      throw ConfigError(name + ": not a setting of any optimizer compared (" + comma_list(names) +
                        ")");
    }
  }
  group.learning_rates = args.lrs;
  if (given_flag(command, "--lr")) group.learning_rates = {base.learning_rate};
  for (const auto& name : args.schedules) {
    group.schedules.push_back(named_schedule(name, base.epochs));
  }
  if (given(command, kScheduleFlags)) {
    group.schedules = {{to_string(base.schedule.kind), base.schedule, base.schedule_per_epoch}};
  }
  std::size_t most_lrs = args.lrs.size();
  for (const auto& choice : group.optimizers) {
    most_lrs = std::max(most_lrs, choice.learning_rates.size());
  }
  group.kind = most_lrs > 1                 ? GroupKind::lr_sweep
               : group.schedules.size() > 1 ? GroupKind::decay
                                            : GroupKind::curves;
  e.groups = {group};
  return e;
}

std::string run_label(const RunSpec& spec) {
  std::string label = spec.config.optimizer + " lr " + shortest(spec.config.learning_rate);
  if (spec.schedule_label != "constant") label += " " + spec.schedule_label;
  return label + " seed " + std::to_string(spec.config.seed);
}

// Accuracies in percent, or, for a network without classes (the noisy
// quadratic), its losses.
bool has_classes(const RunRecord& run) { return run.spec.config.network.loss == LossKind::softmax; }

std::string loss_text(double loss) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(3) << loss;
  return text.str();
}

void print_run_end(const RunRecord& run, std::size_t ended, std::size_t known) {
  std::cerr << "[" << std::setw(3) << ended << "/" << known << "] " << std::left << std::setw(40)
            << run_label(run.spec) << std::right;
  if (run.result.status == RunStatus::Finished) {
    if (has_classes(run)) {
      std::cerr << " val " << percent(run.result.final_val_accuracy) << "  test "
                << percent(run.result.test_accuracy);
    } else {
      std::cerr << " val loss " << loss_text(run.result.final_val_loss) << "  test loss "
                << loss_text(run.result.test_loss);
    }
    std::cerr << "  " << std::fixed << std::setprecision(1) << run.result.seconds << " s";
  } else {
    std::cerr << " diverged: " << run.result.message;
  }
  std::cerr << (run.kept ? "  (kept from before)" : "") << "\n";
  std::cerr.unsetf(std::ios::fixed);
}

struct Mean {
  double sum = 0;
  std::size_t count = 0;
  void add(double value) {
    sum += value;
    ++count;
  }
  double value() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

// The table the notes' comparison ends with: each optimizer at its best
// learning rate (by validation accuracy, or loss without classes; over the
// lr-sweep groups or, without one, over every run), averaged over seeds.
void print_best_table(const Experiment& experiment, const SweepResult& sweep) {
  std::vector<std::string> ids;
  for (const GroupSpec& group : experiment.groups) {
    if (group.kind != GroupKind::lr_sweep) continue;
    const auto& runs = sweep.group_runs.at(group.name);
    ids.insert(ids.end(), runs.begin(), runs.end());
  }
  if (ids.empty()) {
    for (const RunRecord& run : sweep.runs) ids.push_back(run.spec.id);
  }
  const auto best = best_learning_rates(sweep.runs, ids);
  const std::set<std::string> wanted(ids.begin(), ids.end());
  std::vector<std::string> order;  // the optimizers in the groups' order
  std::map<std::string, const RunRecord*> by_id;
  for (const RunRecord& run : sweep.runs) by_id[run.spec.id] = &run;
  for (const std::string& id : ids) {
    const std::string& name = by_id.at(id)->spec.config.optimizer;
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  }
  const bool classes = sweep.runs.empty() || has_classes(sweep.runs.front());
  std::cout << "\n"
            << std::left << std::setw(12) << "optimizer" << std::right << std::setw(10) << "best lr"
            << std::setw(11) << (classes ? "train acc" : "train loss") << std::setw(10)
            << (classes ? "val acc" : "val loss") << std::setw(11)
            << (classes ? "test acc" : "test loss") << std::setw(9) << "time"
            << "\n";
  for (const std::string& name : order) {
    std::cout << std::left << std::setw(12) << name << std::right;
    const auto lr = best.find(name);
    if (lr == best.end()) {
      std::cout << "  no learning rate without divergence\n";
      continue;
    }
    Mean train, val, test, seconds;
    for (const RunRecord& run : sweep.runs) {
      if (!wanted.count(run.spec.id) || run.spec.config.optimizer != name ||
          run.spec.config.learning_rate != lr->second || run.result.status != RunStatus::Finished) {
        continue;
      }
      train.add(classes ? run.result.final_train_accuracy : run.result.final_loss);
      val.add(classes ? run.result.final_val_accuracy : run.result.final_val_loss);
      test.add(classes ? run.result.test_accuracy : run.result.test_loss);
      seconds.add(run.result.seconds);
    }
    std::ostringstream time;
    time << std::fixed << std::setprecision(1) << seconds.value() << " s";
    const auto shown = [&](double value) { return classes ? percent(value) : loss_text(value); };
    std::cout << std::setw(10) << shortest(lr->second) << std::setw(11) << shown(train.value())
              << std::setw(10) << shown(val.value()) << std::setw(11) << shown(test.value())
              << std::setw(9) << time.str() << "\n";
  }
}

// Test accuracy of each optimizer under each schedule of the decay groups.
void print_decay_table(const Experiment& experiment, const SweepResult& sweep) {
  for (const GroupSpec& group : experiment.groups) {
    if (group.kind != GroupKind::decay) continue;
    const auto& ids = sweep.group_runs.at(group.name);
    std::map<std::string, const RunRecord*> by_id;
    for (const RunRecord& run : sweep.runs) by_id[run.spec.id] = &run;
    std::vector<std::string> schedules;
    std::map<std::string, std::map<std::string, Mean>> test;  // optimizer -> schedule -> acc
    std::vector<std::string> order;                           // the group's order
    for (const std::string& id : ids) {
      const RunRecord& run = *by_id.at(id);
      const std::string& name = run.spec.config.optimizer;
      if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
      if (std::find(schedules.begin(), schedules.end(), run.spec.schedule_label) ==
          schedules.end()) {
        schedules.push_back(run.spec.schedule_label);
      }
      if (run.result.status == RunStatus::Finished) {
        test[name][run.spec.schedule_label].add(has_classes(run) ? run.result.test_accuracy
                                                                 : run.result.test_loss);
      }
    }
    const bool classes = ids.empty() || has_classes(*by_id.at(ids.front()));
    std::cout << "\n"
              << (classes ? "test accuracy, " : "test loss, ") << group.title << "\n"
              << std::left << std::setw(12) << "optimizer" << std::right;
    for (const auto& s : schedules) std::cout << std::setw(14) << s;
    std::cout << "\n";
    for (const auto& name : order) {
      std::cout << std::left << std::setw(12) << name << std::right;
      for (const auto& s : schedules) {
        const auto& m = test[name][s];
        const std::string cell = classes ? percent(m.value()) : loss_text(m.value());
        std::cout << std::setw(14) << (m.count ? cell : "diverged");
      }
      std::cout << "\n";
    }
  }
}

// The tuning protocol's result of each method, when the sweep ran one.
void print_protocol_table(const fs::path& out) {
  const ProtocolFindings protocol = protocol_findings(read_sweep_folder(out));
  if (protocol.studies == 0) return;
  std::cout << "\ntuning protocol: median over " << protocol.studies
            << " studies of the fastest trial to " << protocol.target << "\n"
            << std::left << std::setw(16) << "method" << std::right << std::setw(10) << "passes"
            << std::setw(10) << "seconds"
            << "  best lr of each study\n";
  for (const ProtocolFinding& method : protocol.methods) {
    std::ostringstream passes, seconds;
    passes << std::fixed << std::setprecision(2) << method.passes;
    seconds << std::fixed << std::setprecision(2) << method.seconds;
    std::cout << std::left << std::setw(16) << method.method << std::right << std::setw(10)
              << passes.str() << std::setw(10) << seconds.str() << " ";
    for (double lr : method.best_lr) std::cout << " " << (std::isnan(lr) ? "-" : shortest(lr));
    std::cout << "\n";
  }
}

void write_paths(const fs::path& out) {
  fs::create_directories(out / "paths");
  for (const std::string& function : kPathFunctions) {
    const OptimizerPaths paths = trace_paths(function, default_path_runs(function), 500);
    write_file_atomic(out / "paths" / (function + ".json"), to_json(paths).dump() + "\n");
  }
}

// The range test of each optimizer of the experiment, with its first options.
void write_lr_finds(const Experiment& experiment, const DataSplits& data, const fs::path& out,
                    int threads, bool quiet) {
  fs::create_directories(out / "lr-find");
  std::set<std::string> done;
  const LrFindConfig find;
  for (const GroupSpec& group : experiment.groups) {
    for (const OptimizerChoice& choice : group.optimizers) {
      if (!done.insert(choice.name).second) continue;
      TrainConfig config = experiment.base;
      fit_network_to_data(config, data);
      config.optimizer = choice.name;
      config.optimizer_options = choice.options;
      config.seed = experiment.seeds.front();
      config.threads = threads;
      const LrFindResult result = find_learning_rate(config, data, find);
      write_file_atomic(out / "lr-find" / (choice.name + ".json"),
                        to_json(result, choice.name, find).dump() + "\n");
      if (!quiet) {
        std::cerr << "lr-find " << choice.name << ": suggested lr " << std::setprecision(3)
                  << result.suggested_lr << " (loss lowest at " << result.min_loss_lr << ")\n"
                  << std::setprecision(6);
      }
    }
  }
}

int report_sweep(const CompareArgs& args, const Experiment& experiment, const DataSplits& data,
                 const SweepResult& sweep, const fs::path& out);

int run_problems(const CompareArgs& args, CLI::App& command);

int run_compare(const CompareArgs& args, CLI::App& command) {
  if (!args.problems.empty() ||
      (!args.resume.empty() && fs::exists(fs::path(args.resume) / "problems.json"))) {
    return run_problems(args, command);
  }
  // Before an experiment file's base is applied to the flags.
  const bool grid = !args.optimizers.empty() || !args.lrs.empty() || !args.schedules.empty() ||
                    given(command, kOptimizerFlags) || given(command, kScheduleFlags);
  check_grid_flags(args, command);
  fs::path out;
  nlohmann::json file_json;
  std::string file_source;
  if (!args.resume.empty()) {
    refuse_flags_besides(command,
                         {"--resume", "--quiet", "--jobs", "--distributed", "--target",
                          "--keep-checkpoints", "--keep-models"},
                         "--resume, which takes every setting from the sweep's experiment.json");
    out = args.resume;
    file_source = (out / "experiment.json").string();
    if (!fs::exists(file_source)) {
      throw IoError("cannot open '" + file_source + "': no sweep to resume there");
    }
  } else if (!args.experiment_file.empty()) {
    file_source = args.experiment_file;
  }
  Experiment experiment;
  if (!file_source.empty()) {
    file_json = read_json_file(file_source);
    experiment = read_experiment(file_json, file_source, command, args.train);
  }
  if (!file_source.empty() && (grid || !args.seeds.empty())) {
    throw ConfigError(
        "--optimizers, --lrs, --schedules, --seeds and the optimizer and schedule flags: the "
        "experiment file already sets them");
  }
  // The option flags go to the optimizers of the grid that have them.
  TrainArgs base_args = args.train;
  base_args.optimizer.options.clear();
  TrainConfig base = resolve(base_args);
  const CLI::Option* train_size = command.get_option("--train-size");
  if (args.quick && train_size->count() == 0 && base.data.train_size == 0) {
    base.data.train_size = 10000;
  }
  const bool tuning = given_flag(command, "--studies") || given_flag(command, "--trials");
  if (tuning && !file_source.empty()) {
    throw ConfigError("studies, trials: the tuning protocol runs over the grid of --optimizers "
                      "and --lrs, not an experiment file");
  }
  if (tuning && !args.seeds.empty()) {
    throw ConfigError("seeds: cannot be combined with --studies; study j runs with seed j - 1");
  }
  if (file_source.empty()) {
    experiment = grid || tuning ? grid_experiment(args, command, base)
                                : notes_experiment(args.quick, base.data.train_size);
    if (tuning) {
      const std::size_t studies = given_flag(command, "--studies") ? args.studies : 1;
      const std::size_t trials = given_flag(command, "--trials") ? args.trials : 5;
      experiment.groups = tuning_studies(experiment.groups.front(), studies, trials);
      experiment.name = "tuning";
      experiment.title = "Tuning protocol: " + std::to_string(studies) + " studies x " +
                         std::to_string(trials) + " trials per optimizer";
    }
    if (args.quick && (grid || tuning)) experiment.name += "-quick";
    if (!args.seeds.empty()) experiment.seeds = args.seeds;
  }
  experiment.base = base;
  experiment.problem = args.train.problem;  // the flag's, or the experiment file's
  experiment.validate();  // before the data set is loaded
  if (args.distributed && out.empty() && args.out.empty()) {
    throw ConfigError("distributed: needs --out or --resume, the sweep folder every process shares");
  }
  if (out.empty())
    out = args.out.empty() ? fs::path(dated_folder("runs/compare-")) : fs::path(args.out);

  if (args.jobs == 0 && command.get_option("--jobs")->count() > 0) {
    throw ConfigError("jobs: expected at least 1, got 0");
  }
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  SweepOptions options;
  options.out_dir = out;
  options.jobs = args.jobs == 0 ? cores : args.jobs;
  options.threads_per_run = args.threads_per_run;
  // A problem without classes brings its own target: a loss.
  std::string target = args.target;
  if (!given_flag(command, "--target") && !experiment.problem.empty() &&
      !find_problem(experiment.problem).target.empty()) {
    target = find_problem(experiment.problem).target;
  }
  options.target = parse_target(target);
  options.keep_checkpoints = args.keep_checkpoints;
  options.keep_models = args.keep_models;

  const DataSplits data = load_train_data(base, args.train.problem);
  const auto sweep_and_report = [&](const SweepShare& share) {
    // Of several processes, the first alone prints and writes what follows the runs.
    const bool quiet = args.quiet || share.rank != 0;
    options.share = share;
    if (!quiet) {
      std::cerr << "compare: " << experiment.title << "\n  " << data.train.size()
                << " training, " << data.validation.size() << " validation, " << data.test.size()
                << " test samples; " << options.jobs << " runs at a time"
                << (share.ranks > 1 ? " on each of " + std::to_string(share.ranks) + " processes"
                                    : std::string())
                << ", " << options.threads_per_run << " thread(s) each\n  sweep folder: "
                << out.string() << " (run again with --resume " << out.string()
                << " to continue it)\n";
    }
    SweepEvents events;
    events.stop = &stop_requested();
    if (!quiet) events.on_run_end = print_run_end;
    std::optional<StopSignals> signals(std::in_place);
    const SweepResult sweep = run_sweep(experiment, data, options, events);
    signals.reset();
    if (share.rank != 0) return sweep.interrupted ? 130 : 0;
    return report_sweep(args, experiment, data, sweep, out);
  };
  return args.distributed ? run_distributed_sweep(sweep_and_report) : sweep_and_report({});
}

// One problem's sweep of --problems, with every other flag as given.
int sweep_problem(const CompareArgs& args, CLI::App& command, const std::string& problem,
                  const fs::path& dir) {
  CompareArgs one = args;
  one.problems.clear();
  one.out = dir.string();
  one.train.problem = problem;
  return run_compare(one, command);
}

// One problem's sweep of --problems continued: `descent compare --resume DIR`
// as its own command, which reads every setting from the folder, with the
// flags that --resume allows passed on.
int resume_problem(const CompareArgs& args, const CLI::App& command, const fs::path& dir) {
  std::vector<std::string> argv = {"compare", "--resume", dir.string()};
  if (args.quiet) argv.push_back("--quiet");
  if (args.keep_checkpoints) argv.push_back("--keep-checkpoints");
  if (args.keep_models) argv.push_back("--keep-models");
  if (given_flag(command, "--jobs")) argv.insert(argv.end(), {"--jobs", std::to_string(args.jobs)});
  if (given_flag(command, "--target")) argv.insert(argv.end(), {"--target", args.target});
  CLI::App sub;
  add_compare_command(sub);
  std::reverse(argv.begin(), argv.end());  // CLI11 takes the words last first
  try {
    sub.parse(argv);
  } catch (const CLI::RuntimeError& stopped) {
    return stopped.get_exit_code();
  }
  return 0;
}

// `--problems A,B,...`: the same sweep on each problem, into DIR/A, DIR/B, ...
// (DIR/problems.json lists them, for --resume DIR), then one report over all
// of them at DIR/report.html with the performance profile across them.
int run_problems(const CompareArgs& args, CLI::App& command) {
  if (args.distributed) {
    throw ConfigError("distributed: give one problem per MPI job; --problems runs them in turn");
  }
  if (!args.train.problem.empty()) {
    throw ConfigError("problems: cannot be combined with --problem; list every problem in "
                      "--problems");
  }
  fs::path out;
  std::vector<std::string> problems = args.problems;
  if (!args.resume.empty()) {
    out = args.resume;
    const nlohmann::json list = read_json_file(out / "problems.json");
    problems.clear();
    const auto names = list.find("problems");
    if (names == list.end() || !names->is_array()) {
      throw FormatError((out / "problems.json").string() +
                        ": expected {\"problems\": [names...]}");
    }
    for (const auto& name : *names) {
      if (!name.is_string()) {
        throw FormatError((out / "problems.json").string() + ": problems: expected names");
      }
      find_problem(name.get<std::string>());
      problems.push_back(name.get<std::string>());
      // Before any sweep is continued: each must have started.
      if (!fs::exists(out / problems.back() / "experiment.json")) {
        throw IoError("cannot resume '" + (out / problems.back()).string() +
                      "': its sweep never started; run the first command again with --out " +
                      out.string() + " (finished runs are kept)");
      }
    }
  } else {
    if (std::set<std::string>(problems.begin(), problems.end()).size() != problems.size()) {
      throw ConfigError("problems: a problem is listed twice");
    }
    out = args.out.empty() ? fs::path(dated_folder("runs/compare-")) : fs::path(args.out);
    fs::create_directories(out);
    write_file_atomic(out / "problems.json",
                      nlohmann::json({{"problems", problems}}).dump(2) + "\n");
  }
  std::vector<fs::path> sweeps;
  for (const std::string& problem : problems) {
    if (!args.quiet) std::cerr << "\n== problem " << problem << "\n";
    const int code = args.resume.empty() ? sweep_problem(args, command, problem, out / problem)
                                         : resume_problem(args, command, out / problem);
    if (code != 0) return code;
    sweeps.push_back(out / problem);
  }
  const fs::path report = write_report(sweeps, out);
  std::vector<SweepFolder> folders;
  for (const fs::path& dir : sweeps) folders.push_back(read_sweep_folder(dir));
  const SweepProfiles profiles = sweep_profiles(folders);
  std::cout << "\nperformance profile over " << problems.size()
            << " problems (passes to target; score: AlgoPerf's area to tau = 4)\n";
  for (std::size_t m = 0; m < profiles.methods.size(); ++m) {
    std::ostringstream score;
    score << std::fixed << std::setprecision(3) << profiles.scores[m];
    std::cout << std::left << std::setw(16) << profiles.methods[m] << std::right
              << std::setw(8) << score.str() << "\n";
  }
  std::cout << "report:  " << report.string() << "\n";
  return 0;
}

// The files and tables that follow a sweep's runs: the optimizer paths, the
// range tests, report.html, and the best-rate and decay tables.
int report_sweep(const CompareArgs& args, const Experiment& experiment, const DataSplits& data,
                 const SweepResult& sweep, const fs::path& out) {
  // After the sweep, which refuses a folder of another experiment.
  if (!sweep.interrupted) {
    write_paths(out);
    if (args.lr_find) write_lr_finds(experiment, data, out, args.threads_per_run, args.quiet);
  }
  const fs::path report = write_report({out}, out);
  if (sweep.interrupted) {
    std::cerr << "descent: the sweep stopped; continue it with `descent compare --resume "
              << out.string() << "`\n";
    return 130;
  }
  print_best_table(experiment, sweep);
  print_decay_table(experiment, sweep);
  print_protocol_table(out);
  std::size_t diverged = 0;
  for (const RunRecord& run : sweep.runs) diverged += run.result.status == RunStatus::Diverged;
  std::cout << "\n"
            << sweep.runs.size() << " runs, " << diverged << " diverged\n"
            << "summary: " << (out / "summary.csv").string() << "\n"
            << "report:  " << report.string() << "\n";
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* command = app.add_subcommand(
      "compare",
      "Train a grid of optimizers x learning rates x schedules x seeds and compare them "
      "(default: the cs231n notes' comparisons on Fashion-MNIST)");
  add_train_flags(*command, args->train, TrainFlags::for_sweeps);
  command
      ->add_option("--experiment", args->experiment_file,
                   "Experiment file (JSON): groups of runs, seeds and base settings")
      ->configurable(false);
  command->add_flag("--quick", args->quick,
                    "A reduced sweep: 10,000 training samples and fewer learning rates");
  command
      ->add_option("--optimizers", args->optimizers,
                   "Optimizers to compare, each NAME or NAME:LR, e.g. sgd:5e-3,adam:1e-3 "
                   "(instead of the notes' experiment)")
      ->delimiter(',')
      ->configurable(false);
  command->add_option("--lrs", args->lrs, "Learning rates for optimizers given without their own")
      ->delimiter(',')
      ->configurable(false);
  std::string schedules;
  for (const auto& name : named_schedule_names()) {
    schedules += (schedules.empty() ? "" : ", ") + name;
  }
  command
      ->add_option("--schedules", args->schedules,
                   "Schedules to compare (" + schedules +
                       "; step, exponential and "
                       "inverse-time decay per epoch as the notes)")
      ->delimiter(',')
      ->configurable(false);
  command->add_option("--seeds", args->seeds, "Seeds; each run is repeated with each (default: 0)")
      ->delimiter(',')
      ->configurable(false);
  command->add_option("--jobs,-j", args->jobs, "Runs trained at the same time")
      ->default_str("all cores")
      ->configurable(false);
  command
      ->add_option("--threads-per-run", args->threads_per_run,
                   "OpenMP and OpenBLAS threads of each run")
      ->capture_default_str()
      ->configurable(false);
  command
      ->add_flag("--lr-find", args->lr_find,
                 "First run the learning-rate range test of each optimizer, for the report")
      ->configurable(false);
  command->add_option("--out", args->out, "Sweep folder (default: runs/compare-<date>-<time>)")
      ->configurable(false);
  command
      ->add_option("--resume", args->resume,
                   "Continue the sweep in this folder: finished runs are kept")
      ->configurable(false);
  command->add_flag("--quiet,-q", args->quiet, "No progress output")->configurable(false);
  command
      ->add_option("--target", args->target,
                   "Time to target: the epoch metric and the value each run's steps, passes and "
                   "training seconds are counted to (train_loss, train_acc, val_loss, val_acc); "
                   "quadratic-deep's default is val_loss=88")
      ->capture_default_str()
      ->configurable(false);
  command
      ->add_option("--problems", args->problems,
                   "Several named test problems (descent problems lists them): the same sweep on "
                   "each, into DIR/<problem>, and one report with the performance profile "
                   "across them")
      ->delimiter(',')
      ->check(CLI::IsMember(problem_names()))
      ->configurable(false);
  command
      ->add_option("--studies", args->studies,
                   "Tuning protocol (MLCommons AlgoPerf's external tuning): independent studies, "
                   "study j with seed j - 1; each method's result is the median over studies of "
                   "its fastest trial to --target")
      ->default_str("1 with --trials")
      ->check(CLI::PositiveNumber)
      ->configurable(false);
  command
      ->add_option("--trials", args->trials,
                   "Tuning protocol: learning rates drawn log-uniformly per optimizer and study, "
                   "from the range of --lrs (or a decade either side of its one rate)")
      ->default_str("5 with --studies")
      ->check(CLI::PositiveNumber)
      ->configurable(false);
  command
      ->add_flag("--keep-checkpoints", args->keep_checkpoints,
                 "Keep each finished run's checkpoint.bin (by default only unfinished runs keep "
                 "theirs)")
      ->configurable(false);
  command
      ->add_flag("--keep-models", args->keep_models,
                 "Keep every run's model.bin (by default, once the sweep ends, only each "
                 "optimizer's best run and the other seeds of its configuration keep theirs)")
      ->configurable(false);
  command
      ->add_flag("--distributed", args->distributed,
                 "Share the runs among the processes of an MPI job (needs --out or --resume): "
                 "mpirun -np K descent compare --distributed --out DIR ...")
      ->configurable(false);
  command->final_callback([args, command] {
    const int code = run_compare(*args, *command);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

// descent distill: students on soft targets against students on labels alone.
#include "distill_command.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "dated_folder.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/ensemble/distillation_score.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "descent/ensemble/soft_targets.hpp"
#include "seed_runs.hpp"
#include "train_command.hpp"

namespace descent::cli {

namespace {

namespace fs = std::filesystem;

struct DistillArgs {
  TrainArgs train = with_divergence_bound();
  std::string teacher;
  Distillation distillation;
  std::vector<std::uint64_t> seeds = {0, 1, 2};
  std::size_t jobs = 0;
  std::string out;
  bool quiet = false;
};

void print_row(const std::string& label, const std::string& accuracy, double loss) {
  std::cout << std::left << std::setw(46) << label << std::right << std::setw(18) << accuracy
            << std::setw(11) << std::fixed << std::setprecision(4) << loss << "\n";
  std::cout.unsetf(std::ios::fixed);
}

std::string mean_and_sd(const Students& s) {
  std::ostringstream text;
  text << percent(s.mean_accuracy) << " +- " << std::fixed << std::setprecision(2)
       << 100 * s.sd_accuracy;
  return text.str();
}

int run_distill(const DistillArgs& args, const CLI::App& command) {
  if (args.seeds.empty()) throw ConfigError("seeds: expected at least one seed");
  if (args.jobs == 0 && command.get_option("--jobs")->count() > 0) {
    throw ConfigError("jobs: expected at least 1, got 0");
  }
  args.distillation.validate();
  TrainConfig labels_alone = resolve(args.train);
  TrainConfig distilled = labels_alone;
  distilled.teacher = fs::absolute(args.teacher).lexically_normal().string();
  distilled.distillation = args.distillation;
  distilled.validate();

  DataSplits data = load_splits(labels_alone.data);
  LoadedEnsemble teacher = load_teacher(args.teacher);
  for (const std::string& warning : teacher.warnings) {
    std::cerr << "descent: warning: " << warning << "\n";
  }
  add_soft_labels(data, teacher, distilled);
  DistillationScore score;
  score.teacher_path = args.teacher;
  score.teacher_members = teacher.ensemble.size();
  score.combine = teacher.combine;
  score.teacher = teacher.ensemble.evaluate(data.test.features, data.test.labels, score.combine);
  score.student = describe_hidden_layers(labels_alone.network);
  score.temperature = args.distillation.temperature;
  score.alpha = args.distillation.alpha;

  const fs::path out =
      args.out.empty() ? fs::path(dated_folder("runs/distill-")) : fs::path(args.out);
  const std::size_t jobs =
      args.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : args.jobs;
  if (!args.quiet) {
    std::cerr << "distill: student " << score.student << ", " << args.seeds.size()
              << " seeds on soft targets (T " << shortest(args.distillation.temperature)
              << ", alpha " << shortest(args.distillation.alpha) << ") and on labels alone, "
              << jobs << " at a time\n  teacher: " << args.teacher
              << "\n  folder:  " << out.string() << "\n";
  }
  const SweepResult soft = train_seed_runs(
      seed_experiment("distilled", "Student on the teacher's soft targets", distilled, args.seeds),
      data, out / "distilled", jobs, args.quiet);
  const SweepResult hard =
      soft.interrupted
          ? SweepResult{}
          : train_seed_runs(
                seed_experiment("labels", "Student on the labels alone", labels_alone, args.seeds),
                data, out / "labels", jobs, args.quiet);
  if (soft.interrupted || hard.interrupted) {
    std::cerr << "descent: the training stopped; continue it by running the same command with "
                 "--out "
              << out.string() << "\n";
    return 130;
  }
  score.distilled = score_students(soft, out / "distilled");
  score.labels_alone = score_students(hard, out / "labels");
  const Students& on_soft = score.distilled;
  const Students& on_labels = score.labels_alone;
  write_file_atomic(out / "distill_metrics.json", to_json(score).dump(2) + "\n");

  std::cout << "\n"
            << std::left << std::setw(46) << "model" << std::right << std::setw(18)
            << "test acc" << std::setw(11) << "test loss"
            << "\n";
  print_row("teacher (" + std::to_string(score.teacher_members) +
                (score.teacher_members == 1 ? " model)"
                                            : " members, " + to_string(score.combine) + ")"),
            percent(score.teacher.accuracy), score.teacher.loss);
  print_row("student " + score.student + ", distilled", mean_and_sd(on_soft), on_soft.mean_loss);
  print_row("student " + score.student + ", labels alone", mean_and_sd(on_labels),
            on_labels.mean_loss);
  std::cout << "\n(mean +- standard deviation over " << args.seeds.size() << " seeds";
  if (on_soft.finished < args.seeds.size() || on_labels.finished < args.seeds.size()) {
    std::cout << "; " << on_soft.finished << " and " << on_labels.finished
              << " finished, diverged runs left out";
  }
  std::cout << ")\nseed  distilled  labels alone\n";
  for (std::size_t i = 0; i < args.seeds.size(); ++i) {
    std::cout << std::left << std::setw(6) << args.seeds[i] << std::setw(11)
              << percent(on_soft.runs[i].test_accuracy)
              << percent(on_labels.runs[i].test_accuracy) << "\n";
  }
  std::cout << "\nmetrics: " << (out / "distill_metrics.json").string() << "\n";
  return 0;
}

}  // namespace

void add_distill_command(CLI::App& app) {
  auto args = std::make_shared<DistillArgs>();
  CLI::App* command = app.add_subcommand(
      "distill",
      "Train a student network on a teacher's softened probabilities (Hinton et al. 2015) and, "
      "with the same seeds and budget, on the labels alone; compare both with the teacher");
  add_train_flags(*command, args->train, TrainFlags::for_sweeps);
  command
      ->add_option("--teacher", args->teacher,
                   "The teacher: a run folder, its model.bin, or an ensemble.json")
      ->required()
      ->configurable(false);
  command
      ->add_option("--temperature,-T", args->distillation.temperature,
                   "Softmax temperature T of the soft targets and of the student's soft term")
      ->capture_default_str()
      ->configurable(false);
  command
      ->add_option("--alpha", args->distillation.alpha,
                   "Weight of the soft targets (times T^2); 1 - alpha weighs the labels")
      ->capture_default_str()
      ->configurable(false);
  command
      ->add_option("--seeds", args->seeds, "The students' seeds, comma-separated")
      ->delimiter(',')
      ->default_str("0,1,2")
      ->configurable(false);
  command->add_option("--jobs,-j", args->jobs, "Students trained at the same time, one thread each")
      ->default_str("all cores")
      ->configurable(false);
  command->add_option("--out", args->out, "Output folder (default: runs/distill-<date>-<time>)")
      ->configurable(false);
  command->add_flag("--quiet,-q", args->quiet, "No progress output")->configurable(false);
  command->final_callback([args, command] {
    const int code = run_distill(*args, *command);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace descent::cli

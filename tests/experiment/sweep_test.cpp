// Sweeps on a small synthetic data set: the folder they write, shared runs,
// parallel runs, divergence, the best-lr hand-over between groups, and
// resuming a sweep that was stopped or already ended.
#include "descent/experiment/sweep.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "descent/experiment/metrics_csv.hpp"
#include "descent/train/run_folder.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

class SweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const DataOptions options = testing::write_synthetic_data(data_dir_.path(), 360, 100, 60, 3);
    data_ = load_splits(options);
    base_.data = options;
    base_.network.hidden = {16};
    base_.epochs = 2;
    base_.batch_size = 30;  // 300 training samples: 10 batches an epoch
    base_.train_eval_samples = 100;
    base_.diverge_factor = 3;
  }

  Experiment experiment(std::vector<GroupSpec> groups, std::vector<std::uint64_t> seeds = {0}) {
    Experiment e;
    e.name = "test";
    e.title = "A test sweep";
    e.base = base_;
    e.seeds = std::move(seeds);
    e.groups = std::move(groups);
    return e;
  }

  static GroupSpec group(const std::string& name, std::vector<OptimizerChoice> optimizers,
                         std::vector<double> lrs = {}) {
    GroupSpec g;
    g.name = name;
    g.title = "Group " + name;
    g.optimizers = std::move(optimizers);
    g.learning_rates = std::move(lrs);
    return g;
  }

  // An lr sweep of sgd and adam, and a decay group on its best rates.
  Experiment two_wave_experiment() {
    GroupSpec sweep = group("sweep", {{"sgd", {}, {0.02, 0.2}}, {"adam", {}, {1e-3}}});
    sweep.kind = GroupKind::lr_sweep;
    GroupSpec decay = group("decay", {{"sgd", {}, {}}, {"adam", {}, {}}});
    decay.kind = GroupKind::decay;
    decay.best_lr_from = "sweep";
    decay.schedules = {named_schedule("constant", 2), named_schedule("step", 2)};
    return experiment({sweep, decay}, {0, 1});
  }

  SweepOptions options(const fs::path& dir, std::size_t jobs = 1) {
    SweepOptions o;
    o.out_dir = dir;
    o.jobs = jobs;
    return o;
  }

  // The runs of two sweep folders have the same numbers (wall times aside).
  static void expect_same_runs(const fs::path& a, const fs::path& b) {
    auto sa = read_json_file(a / "summary.json");
    auto sb = read_json_file(b / "summary.json");
    ASSERT_EQ(sa.size(), sb.size());
    for (std::size_t i = 0; i < sa.size(); ++i) {
      for (auto* row : {&sa[i], &sb[i]}) {
        row->erase("seconds");
        row->erase("seconds_to_target");
      }
      EXPECT_EQ(sa[i], sb[i]);
      const std::string id = sa[i]["run"];
      const fs::path ra = a / "runs" / id;
      const fs::path rb = b / "runs" / id;
      // An ended run keeps history.json alone; metrics.csv holds its table.
      EXPECT_FALSE(fs::exists(ra / "loss.csv")) << id;
      EXPECT_FALSE(fs::exists(ra / "history.csv")) << id;
      auto ha = read_json_file(ra / "history.json");
      auto hb = read_json_file(rb / "history.json");
      for (auto* h : {&ha, &hb}) {
        for (auto& epoch : (*h)["epochs"]) {
          epoch.erase("seconds");
          epoch.erase("train_seconds");
        }
      }
      EXPECT_EQ(ha, hb) << id;
      auto ma = read_json_file(ra / "metrics.json");
      auto mb = read_json_file(rb / "metrics.json");
      ma.erase("seconds");
      mb.erase("seconds");
      EXPECT_EQ(ma, mb) << id;
    }
    EXPECT_EQ(read_json_file(a / "experiment.json"), read_json_file(b / "experiment.json"));
  }

  testing::TempDir data_dir_;
  testing::TempDir out_;
  DataSplits data_;
  TrainConfig base_;
};

TEST_F(SweepTest, SummaryHasARowPerRunWithTheDocumentedColumns) {
  OptimizerOptions momentum;
  momentum["momentum"] = 0.8;
  const Experiment e = experiment(
      {group("grid", {{"sgd", {}, {0.05}}, {"adam", {}, {}}, {"momentum", momentum, {0.02}}},
             {1e-3, 3e-3})},
      {0, 1});
  const fs::path dir = out_.path() / "sweep";
  const SweepResult result = run_sweep(e, data_, options(dir));
  EXPECT_FALSE(result.interrupted);
  ASSERT_EQ(result.runs.size(), (1 + 2 + 1) * 2u);

  const auto rows = read_json_file(dir / "summary.json");
  ASSERT_EQ(rows.size(), result.runs.size());
  const auto groups = read_json_file(dir / "experiment.json")["groups"];
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["runs"].size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const RunRecord& run = result.runs[i];
    EXPECT_EQ(row["run"], run.spec.id);
    EXPECT_EQ(groups[0]["runs"][i], run.spec.id);  // the order of experiment.json
    EXPECT_EQ(row["optimizer"], run.spec.config.optimizer);
    EXPECT_EQ(row["lr"], run.spec.config.learning_rate);
    EXPECT_EQ(row["schedule"], "constant");
    EXPECT_EQ(row["seed"], run.spec.config.seed);
    EXPECT_EQ(row["status"], "finished");
    const auto metrics = read_json_file(dir / "runs" / run.spec.id / "metrics.json");
    EXPECT_EQ(metrics["status"], "finished");
    EXPECT_EQ(row["train_acc"], metrics["final_train_acc"]);
    EXPECT_EQ(row["val_acc"], metrics["final_val_acc"]);
    EXPECT_EQ(row["test_acc"], metrics["test_acc"]);
    EXPECT_EQ(row["best_epoch"], metrics["best_epoch"]);
    EXPECT_EQ(row["final_loss"], metrics["final_loss"]);
    EXPECT_EQ(row["seconds"], metrics["seconds"]);
    EXPECT_GE(row["best_epoch"].get<int>(), 1);
    EXPECT_GT(row["seconds"].get<double>(), 0);
    const auto history = read_json_file(dir / "runs" / run.spec.id / "history.json");
    EXPECT_EQ(history["epochs"].size(), 2u);
    // history.json writes the float loss in its shortest form.
    EXPECT_EQ(static_cast<float>(row["final_loss"].get<double>()),
              static_cast<float>(history["loss"].back().get<double>()));
    if (run.spec.config.optimizer == "momentum") {
      EXPECT_EQ(row["hyperparameters"], nlohmann::json({{"momentum", 0.8}}));
    } else {
      EXPECT_EQ(row["hyperparameters"], nlohmann::json::object());
    }
  }

  std::istringstream csv(read_file(dir / "summary.csv"));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  std::stringstream fields(line);
  for (std::string field; std::getline(fields, field, ',');) header.push_back(field);
  for (const char* column :
       {"run", "optimizer", "lr", "schedule", "seed", "hyperparameters", "status", "train_acc",
        "val_acc", "test_acc", "best_epoch", "final_loss", "seconds"}) {
    EXPECT_NE(std::find(header.begin(), header.end(), column), header.end()) << column;
  }
  std::size_t lines = 0;
  while (std::getline(csv, line)) {
    const RunRecord& run = result.runs.at(lines++);
    EXPECT_EQ(static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1,
              header.size())
        << line;
    EXPECT_EQ(line.substr(0, line.find(',')), run.spec.id);
    if (run.spec.config.optimizer == "momentum") {
      EXPECT_NE(line.find(",momentum=0.8,"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(lines, result.runs.size());
}

// Time to target in the summary, as its unit computes it from the run's
// history; every ended run's history in metrics.csv; an event file per run;
// no checkpoint kept by a finished run unless asked.
TEST_F(SweepTest, SweepRecordsTimeToTargetMetricsAndEventFilesAndDropsCheckpoints) {
  const Experiment e = experiment({group("grid", {{"sgd", {}, {0.05}}, {"adam", {}, {3e-3}}})});
  const fs::path dir = out_.path() / "sweep";
  SweepOptions o = options(dir);
  o.target = parse_target("val_acc=0.5");
  const SweepResult result = run_sweep(e, data_, o);
  ASSERT_EQ(result.runs.size(), 2u);
  const auto rows = read_json_file(dir / "summary.json");
  const std::vector<MetricRow> metrics = read_metrics_csv(dir / "metrics.csv");
  bool any_reached = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const fs::path run_dir = dir / "runs" / result.runs[i].spec.id;
    const History history = RunFolder(run_dir).read_history();
    const TimeToTarget expected = time_to_target(history, o.target);
    EXPECT_EQ(rows[i]["target"], "val_acc=0.5");
    if (expected.reached()) {
      any_reached = true;
      EXPECT_EQ(rows[i]["steps_to_target"].get<double>(), expected.steps);
      EXPECT_EQ(rows[i]["passes_to_target"].get<double>(), expected.passes);
    } else {
      EXPECT_TRUE(rows[i]["steps_to_target"].is_null());
    }
    const auto losses = std::count_if(metrics.begin(), metrics.end(), [&](const MetricRow& row) {
      return row.run == result.runs[i].spec.id && row.scalar.metric == "loss";
    });
    EXPECT_EQ(static_cast<std::size_t>(losses), history.loss.size());
    EXPECT_FALSE(fs::exists(run_dir / "checkpoint.bin"));
    std::size_t event_files = 0;
    for (const auto& entry : fs::directory_iterator(run_dir)) {
      event_files += entry.path().filename().string().rfind("events.out.tfevents.", 0) == 0;
    }
    EXPECT_EQ(event_files, 1u);
  }
  EXPECT_TRUE(any_reached) << "no run reached 50% validation accuracy: the check is empty";

  SweepOptions keep = options(out_.path() / "kept");
  keep.keep_checkpoints = true;
  const SweepResult kept = run_sweep(e, data_, keep);
  for (const RunRecord& run : kept.runs) {
    EXPECT_TRUE(fs::exists(out_.path() / "kept" / "runs" / run.spec.id / "checkpoint.bin"));
  }
}

TEST_F(SweepTest, RunSharedByTwoGroupsIsTrainedOnce) {
  const Experiment e =
      experiment({group("first", {{"sgd", {}, {0.05}}, {"adam", {}, {1e-3}}}),
                  group("second", {{"momentum", {}, {0.05}}, {"sgd", {}, {0.05}}})});
  const fs::path dir = out_.path() / "sweep";
  std::vector<std::string> ended;
  SweepEvents events;
  events.on_run_end = [&](const RunRecord& run, std::size_t count, std::size_t known) {
    ended.push_back(run.spec.id);
    EXPECT_EQ(count, ended.size());
    EXPECT_LE(count, known);
    EXPECT_FALSE(run.kept);
  };
  const SweepResult result = run_sweep(e, data_, options(dir), events);
  ASSERT_EQ(result.runs.size(), 3u);
  EXPECT_EQ(ended.size(), 3u);
  EXPECT_EQ(std::set<std::string>(ended.begin(), ended.end()).size(), 3u);
  const auto& first = result.group_runs.at("first");
  const auto& second = result.group_runs.at("second");
  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(first[0], second[1]);  // sgd at 0.05

  const auto json = read_json_file(dir / "experiment.json");
  EXPECT_EQ(json["name"], "test");
  EXPECT_EQ(json["title"], "A test sweep");
  ASSERT_EQ(json["groups"].size(), 2u);
  EXPECT_EQ(json["groups"][0]["name"], "first");
  EXPECT_EQ(json["groups"][0]["title"], "Group first");
  EXPECT_EQ(json["groups"][0]["kind"], "curves");
  EXPECT_EQ(json["groups"][0]["runs"], nlohmann::json(first));
  EXPECT_EQ(json["groups"][1]["runs"], nlohmann::json(second));
  std::size_t folders = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir / "runs")) ++folders;
  EXPECT_EQ(folders, 3u);
  EXPECT_EQ(read_json_file(dir / "summary.json").size(), 3u);
}

TEST_F(SweepTest, TwoJobsGiveTheSameNumbersAsOne) {
  const Experiment e = experiment(
      {group("grid", {{"sgd", {}, {0.05}}, {"adam", {}, {1e-3}}, {"rmsprop", {}, {1e-3}}})},
      {0, 1});
  const SweepResult one = run_sweep(e, data_, options(out_.path() / "one", 1));
  const SweepResult two = run_sweep(e, data_, options(out_.path() / "two", 2));
  ASSERT_EQ(one.runs.size(), 6u);
  expect_same_runs(out_.path() / "one", out_.path() / "two");
  for (std::size_t i = 0; i < one.runs.size(); ++i) {
    EXPECT_EQ(one.runs[i].spec.id, two.runs[i].spec.id);
    EXPECT_EQ(one.runs[i].result.test_accuracy, two.runs[i].result.test_accuracy);
    EXPECT_EQ(one.runs[i].result.final_loss, two.runs[i].result.final_loss);
  }
  // Other seeds, other numbers: the comparison above can tell runs apart.
  EXPECT_NE(
      read_json_file(out_.path() / "one" / "runs" / one.runs[0].spec.id / "history.json")["loss"],
      read_json_file(out_.path() / "one" / "runs" / one.runs[1].spec.id / "history.json")["loss"]);
}

TEST_F(SweepTest, OnlyEachOptimizersBestRunKeepsItsModel) {
  const Experiment e = experiment({group("grid", {{"sgd", {}, {0.05, 0.001}}, {"adam", {}, {}}})});
  const fs::path dir = out_.path() / "sweep";
  const SweepResult result = run_sweep(e, data_, options(dir, 2));
  ASSERT_FALSE(result.interrupted);
  ASSERT_EQ(result.runs.size(), 3u);
  const auto val = [&](double lr) {
    for (const RunRecord& run : result.runs) {
      if (run.spec.config.optimizer == "sgd" && run.spec.config.learning_rate == lr) {
        return run.result.final_val_accuracy;
      }
    }
    return -1.0;
  };
  ASSERT_NE(val(0.05), val(0.001)) << "the test needs a better and a worse rate";
  const double best = val(0.05) > val(0.001) ? 0.05 : 0.001;
  for (const RunRecord& run : result.runs) {
    const bool kept = run.spec.config.optimizer == "adam" || run.spec.config.learning_rate == best;
    EXPECT_EQ(fs::exists(dir / "runs" / run.spec.id / "model.bin"), kept) << run.spec.id;
    EXPECT_TRUE(fs::exists(dir / "runs" / run.spec.id / "metrics.json")) << run.spec.id;
  }

  // With keep_models, every run keeps its model.
  SweepOptions all = options(out_.path() / "all", 2);
  all.keep_models = true;
  const SweepResult kept = run_sweep(e, data_, all);
  for (const RunRecord& run : kept.runs) {
    EXPECT_TRUE(fs::exists(out_.path() / "all" / "runs" / run.spec.id / "model.bin"))
        << run.spec.id;
  }
}

TEST_F(SweepTest, TooLargeLearningRateDivergesAndTheOthersFinish) {
  const Experiment e = experiment({group("grid", {{"sgd", {}, {0.05, 1e3}}, {"adam", {}, {}}})});
  const fs::path dir = out_.path() / "sweep";
  const SweepResult result = run_sweep(e, data_, options(dir, 2));
  EXPECT_FALSE(result.interrupted);
  ASSERT_EQ(result.runs.size(), 3u);
  const auto rows = read_json_file(dir / "summary.json");
  for (std::size_t i = 0; i < result.runs.size(); ++i) {
    const RunRecord& run = result.runs[i];
    const auto metrics = read_json_file(dir / "runs" / run.spec.id / "metrics.json");
    if (run.spec.config.learning_rate == 1e3) {
      EXPECT_EQ(run.result.status, RunStatus::Diverged);
      EXPECT_EQ(run.result.status, RunStatus::Diverged);
      EXPECT_EQ(rows[i]["status"], "diverged");
      EXPECT_EQ(metrics["status"], "diverged");
      EXPECT_NE(metrics["message"].get<std::string>().find("diverged"), std::string::npos);
      EXPECT_LT(metrics["iterations"].get<std::size_t>(), 20u);
      EXPECT_FALSE(fs::exists(dir / "runs" / run.spec.id / "model.bin"));
    } else {
      EXPECT_EQ(run.result.status, RunStatus::Finished)
          << run.spec.id << ": " << run.result.message;
      EXPECT_EQ(rows[i]["status"], "finished");
      EXPECT_EQ(metrics["iterations"], 20u);
      EXPECT_GE(run.result.best_epoch, 1u);
      EXPECT_TRUE(fs::exists(dir / "runs" / run.spec.id / "model.bin"));
    }
  }
}

TEST_F(SweepTest, DecayGroupUsesTheBestLearningRateOfTheSweep) {
  GroupSpec sweep = group("sweep", {{"sgd", {}, {}}}, {1e-4, 0.05, 1e3});
  sweep.kind = GroupKind::lr_sweep;
  GroupSpec decay = group("decay", {{"sgd", {}, {}}, {"adam", {}, {1e-3}}});
  decay.kind = GroupKind::decay;
  decay.best_lr_from = "sweep";
  decay.schedules = {named_schedule("constant", 2), named_schedule("step", 2)};
  const fs::path dir = out_.path() / "sweep";
  const SweepResult result = run_sweep(experiment({sweep, decay}), data_, options(dir, 2));
  ASSERT_FALSE(result.interrupted);

  // The best rate, from the table: the highest final validation accuracy of a finished run.
  const auto rows = read_json_file(dir / "summary.json");
  const std::vector<std::string>& sweep_ids = result.group_runs.at("sweep");
  ASSERT_EQ(sweep_ids.size(), 3u);
  double best_lr = 0;
  double best_accuracy = -1;
  for (const auto& row : rows) {
    const std::string id = row["run"];
    if (std::find(sweep_ids.begin(), sweep_ids.end(), id) == sweep_ids.end()) continue;
    if (row["lr"] == 1e3) {
      EXPECT_EQ(row["status"], "diverged");
    }
    if (row["status"] == "finished" && row["val_acc"].get<double>() > best_accuracy) {
      best_accuracy = row["val_acc"];
      best_lr = row["lr"];
    }
  }
  ASSERT_GT(best_lr, 0);
  EXPECT_EQ(best_learning_rates(result.runs, sweep_ids),
            (std::map<std::string, double>{{"sgd", best_lr}}));

  // Adam ran in no sweep: it has no best rate and no decay runs.
  const std::vector<std::string>& decay_ids = result.group_runs.at("decay");
  ASSERT_EQ(decay_ids.size(), 2u);
  std::set<std::string> labels;
  for (const RunRecord& run : result.runs) {
    if (std::find(decay_ids.begin(), decay_ids.end(), run.spec.id) == decay_ids.end()) continue;
    EXPECT_EQ(run.spec.config.optimizer, "sgd");
    EXPECT_EQ(run.spec.config.learning_rate, best_lr);
    EXPECT_EQ(run.result.status, RunStatus::Finished);
    labels.insert(run.spec.schedule_label);
    const auto config = read_json_file(dir / "runs" / run.spec.id / "config.json");
    EXPECT_EQ(config["lr"], best_lr);
  }
  EXPECT_EQ(labels, (std::set<std::string>{"constant", "step"}));
  // The constant run is the sweep's own run at that rate.
  EXPECT_NE(std::find(sweep_ids.begin(), sweep_ids.end(), decay_ids[0]), sweep_ids.end());
  EXPECT_EQ(result.runs.size(), 4u);
  EXPECT_EQ(read_json_file(dir / "experiment.json")["groups"][1]["runs"],
            nlohmann::json(decay_ids));
}

TEST_F(SweepTest, DecayGroupOfAnEntirelyDivergedSweepHasNoRuns) {
  GroupSpec sweep = group("sweep", {{"sgd", {}, {1e3}}});
  sweep.kind = GroupKind::lr_sweep;
  GroupSpec decay = group("decay", {{"sgd", {}, {}}});
  decay.kind = GroupKind::decay;
  decay.best_lr_from = "sweep";
  decay.schedules = {named_schedule("constant", 2), named_schedule("step", 2)};
  const fs::path dir = out_.path() / "sweep";
  const SweepResult result = run_sweep(experiment({sweep, decay}), data_, options(dir));
  EXPECT_FALSE(result.interrupted);
  ASSERT_EQ(result.runs.size(), 1u);
  EXPECT_EQ(result.runs[0].result.status, RunStatus::Diverged);
  ASSERT_EQ(result.group_runs.count("decay"), 1u);
  EXPECT_TRUE(result.group_runs.at("decay").empty());
  EXPECT_EQ(read_json_file(dir / "experiment.json")["groups"][1]["runs"], nlohmann::json::array());
}

TEST_F(SweepTest, EndedRunsAreKeptWhenOnlyTheThreadsPerRunChange) {
  const Experiment e = two_wave_experiment();
  const fs::path dir = out_.path() / "sweep";
  // Two threads a run; stopped when the first run ends, while another is under way.
  std::atomic<bool> stop{false};
  SweepEvents events;
  events.stop = &stop;
  events.on_run_end = [&](const RunRecord&, std::size_t, std::size_t) { stop = true; };
  SweepOptions two_threads = options(dir, 2);
  two_threads.threads_per_run = 2;
  const SweepResult stopped = run_sweep(e, data_, two_threads, events);
  ASSERT_TRUE(stopped.interrupted);
  std::map<std::string, std::string> ended;
  for (const RunRecord& run : stopped.runs) {
    if (run.result.status != RunStatus::Pending) {
      ended[run.spec.id] = read_file(dir / "runs" / run.spec.id / "metrics.json");
    }
  }
  ASSERT_FALSE(ended.empty());

  // Continued with one thread a run: the ended runs stay, the rest end.
  const SweepResult continued = run_sweep(e, data_, options(dir, 1));
  EXPECT_FALSE(continued.interrupted);
  for (const RunRecord& run : continued.runs) {
    EXPECT_NE(run.result.status, RunStatus::Pending) << run.spec.id;
    const auto kept = ended.find(run.spec.id);
    EXPECT_EQ(run.kept, kept != ended.end()) << run.spec.id;
    if (kept != ended.end()) {
      EXPECT_EQ(read_file(dir / "runs" / run.spec.id / "metrics.json"), kept->second);
    }
  }
}

TEST_F(SweepTest, RunningAgainKeepsEndedRunsWithoutTraining) {
  GroupSpec grid = group("grid", {{"sgd", {}, {0.05, 1e3}}});
  const Experiment e = two_wave_experiment();
  Experiment with_diverged = e;
  with_diverged.groups.insert(with_diverged.groups.begin(), grid);
  const fs::path dir = out_.path() / "sweep";
  const SweepResult first = run_sweep(with_diverged, data_, options(dir, 2));
  ASSERT_FALSE(first.interrupted);
  std::map<std::string, std::string> metrics, history;
  std::map<std::string, fs::file_time_type> written;
  for (const RunRecord& run : first.runs) {
    const fs::path r = dir / "runs" / run.spec.id;
    metrics[run.spec.id] = read_file(r / "metrics.json");
    history[run.spec.id] = read_file(r / "history.json");
    written[run.spec.id] = fs::last_write_time(r / "metrics.json");
  }
  const std::string summary = read_file(dir / "summary.json");
  const std::string csv = read_file(dir / "summary.csv");

  std::size_t calls = 0;
  SweepEvents events;
  events.on_run_end = [&](const RunRecord& run, std::size_t ended, std::size_t known) {
    ++calls;
    EXPECT_TRUE(run.kept) << run.spec.id;
    EXPECT_EQ(ended, calls);
    EXPECT_LE(ended, known);
  };
  const SweepResult again = run_sweep(with_diverged, data_, options(dir, 2), events);
  EXPECT_FALSE(again.interrupted);
  ASSERT_EQ(again.runs.size(), first.runs.size());
  EXPECT_EQ(calls, again.runs.size());  // each run reported once
  std::size_t diverged = 0;
  for (std::size_t i = 0; i < again.runs.size(); ++i) {
    const RunRecord& run = again.runs[i];
    const fs::path r = dir / "runs" / run.spec.id;
    EXPECT_EQ(run.spec.id, first.runs[i].spec.id);
    EXPECT_TRUE(run.kept) << run.spec.id;
    EXPECT_EQ(run.result.status, first.runs[i].result.status);
    EXPECT_EQ(read_file(r / "metrics.json"), metrics[run.spec.id]);
    EXPECT_EQ(read_file(r / "history.json"), history[run.spec.id]);
    EXPECT_EQ(fs::last_write_time(r / "metrics.json"), written[run.spec.id]);
    EXPECT_EQ(run.result.final_val_accuracy, first.runs[i].result.final_val_accuracy);
    EXPECT_EQ(run.result.test_accuracy, first.runs[i].result.test_accuracy);
    EXPECT_EQ(run.result.seconds, first.runs[i].result.seconds);
    diverged += run.result.status == RunStatus::Diverged;
  }
  EXPECT_EQ(diverged, 2u);  // sgd at 1e3, both seeds
  EXPECT_EQ(again.group_runs, first.group_runs);
  // The table of kept runs is the table of the runs as they ended.
  EXPECT_EQ(read_file(dir / "summary.json"), summary);
  EXPECT_EQ(read_file(dir / "summary.csv"), csv);
}

TEST_F(SweepTest, StoppedSweepContinuesToTheNumbersOfAnUnstoppedOne) {
  const Experiment e = two_wave_experiment();
  const fs::path whole = out_.path() / "whole";
  const SweepResult reference = run_sweep(e, data_, options(whole, 1));
  ASSERT_FALSE(reference.interrupted);

  // Stopped after the first run ends: no other run starts.
  const fs::path dir = out_.path() / "stopped";
  std::atomic<bool> stop{false};
  SweepEvents events;
  events.stop = &stop;
  events.on_run_end = [&](const RunRecord& run, std::size_t, std::size_t) {
    if (!run.kept) stop = true;
  };
  const SweepResult stopped = run_sweep(e, data_, options(dir, 1), events);
  EXPECT_TRUE(stopped.interrupted);
  std::size_t ended = 0;
  for (const RunRecord& run : stopped.runs) ended += run.result.status != RunStatus::Pending;
  EXPECT_EQ(ended, 1u);
  EXPECT_EQ(stopped.group_runs.count("decay"), 0u);
  const auto rows = read_json_file(dir / "summary.json");
  std::size_t pending = 0;
  for (const auto& row : rows) pending += row["status"] == "pending";
  EXPECT_EQ(pending, rows.size() - 1);

  // Stopped again while runs are in progress: two at a time, stopped when one ends.
  stop = false;
  const SweepResult stopped_again = run_sweep(e, data_, options(dir, 2), events);
  EXPECT_TRUE(stopped_again.interrupted);

  const SweepResult continued = run_sweep(e, data_, options(dir, 1));
  EXPECT_FALSE(continued.interrupted);
  ASSERT_EQ(continued.runs.size(), reference.runs.size());
  for (const RunRecord& run : continued.runs) {
    EXPECT_NE(run.result.status, RunStatus::Pending) << run.spec.id;
    EXPECT_FALSE(fs::exists(dir / "runs" / run.spec.id / "checkpoint.bin") &&
                 !fs::exists(dir / "runs" / run.spec.id / "metrics.json"));
  }
  expect_same_runs(whole, dir);
}

TEST_F(SweepTest, StopBeforeTheStartTrainsNothing) {
  std::atomic<bool> stop{true};
  SweepEvents events;
  events.stop = &stop;
  const fs::path dir = out_.path() / "sweep";
  const SweepResult result = run_sweep(two_wave_experiment(), data_, options(dir), events);
  EXPECT_TRUE(result.interrupted);
  for (const RunRecord& run : result.runs) EXPECT_EQ(run.result.status, RunStatus::Pending);
  EXPECT_TRUE(fs::exists(dir / "experiment.json"));
}

TEST_F(SweepTest, FolderOfAnotherExperimentIsAConfigError) {
  const Experiment e = experiment({group("grid", {{"sgd", {}, {0.05}}})});
  const fs::path dir = out_.path() / "sweep";
  run_sweep(e, data_, options(dir));
  const std::string before = read_file(dir / "experiment.json");
  Experiment other = e;
  other.groups[0].optimizers[0].learning_rates = {0.1};
  EXPECT_THROW(run_sweep(other, data_, options(dir)), ConfigError);
  Experiment longer = e;
  longer.base.epochs = 3;
  try {
    run_sweep(longer, data_, options(dir));
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find(dir.string()), std::string::npos) << error.what();
  }
  EXPECT_EQ(read_file(dir / "experiment.json"), before);
  // The same experiment continues; another folder takes the other one.
  EXPECT_NO_THROW(run_sweep(e, data_, options(dir)));
  EXPECT_NO_THROW(run_sweep(other, data_, options(out_.path() / "other")));
}

TEST_F(SweepTest, BadOptionsAreConfigErrors) {
  const Experiment e = experiment({group("grid", {{"sgd", {}, {0.05}}})});
  EXPECT_THROW(run_sweep(e, data_, options(out_.path() / "a", 0)), ConfigError);
  SweepOptions threads = options(out_.path() / "b");
  threads.threads_per_run = 0;
  EXPECT_THROW(run_sweep(e, data_, threads), ConfigError);
  Experiment invalid = e;
  invalid.seeds.clear();
  EXPECT_THROW(run_sweep(invalid, data_, options(out_.path() / "c")), ConfigError);
}

RunRecord record(const std::string& optimizer, double lr, std::uint64_t seed, RunStatus status,
                 double val_accuracy) {
  RunRecord run;
  run.spec.id = optimizer + "-" + std::to_string(lr) + "-" + std::to_string(seed);
  run.spec.config.optimizer = optimizer;
  run.spec.config.learning_rate = lr;
  run.spec.config.seed = seed;
  run.result.status = status;
  run.result.final_val_accuracy = val_accuracy;
  return run;
}

TEST(BestLearningRatesTest, AveragesOverSeedsAndSkipsRatesWithADivergedSeed) {
  const auto f = RunStatus::Finished;
  const std::vector<RunRecord> runs = {
      // sgd: 0.1 has the best single run but the lower mean; 1.0 the best run, one diverged.
      record("sgd", 0.1, 0, f, 0.90), record("sgd", 0.1, 1, f, 0.50),
      record("sgd", 0.01, 0, f, 0.80), record("sgd", 0.01, 1, f, 0.78),
      record("sgd", 1.0, 0, f, 0.95), record("sgd", 1.0, 1, RunStatus::Diverged, 0),
      // adam: the pending rate does not count; 1e-3 wins.
      record("adam", 1e-3, 0, f, 0.60), record("adam", 1e-2, 0, RunStatus::Pending, 0.99),
      // rmsprop: every run diverged.
      record("rmsprop", 1e-3, 0, RunStatus::Diverged, 0),
      // momentum: not in the ids asked about.
      record("momentum", 0.1, 0, f, 0.99)};
  std::vector<std::string> ids;
  for (const RunRecord& run : runs) {
    if (run.spec.config.optimizer != "momentum") ids.push_back(run.spec.id);
  }
  const auto best = best_learning_rates(runs, ids);
  EXPECT_EQ(best, (std::map<std::string, double>{{"sgd", 0.01}, {"adam", 1e-3}}));
  // Only one seed asked about: 0.1 at 0.90 beats 0.01 at 0.80.
  EXPECT_EQ(best_learning_rates(runs, {runs[0].spec.id, runs[2].spec.id}),
            (std::map<std::string, double>{{"sgd", 0.1}}));
  EXPECT_TRUE(best_learning_rates(runs, {}).empty());
}

}  // namespace
}  // namespace descent

// `descent compare` as a user runs it: a grid from flags or an experiment
// file, the sweep folder and table it leaves, running it again, --resume,
// errors as one line, and an interrupted sweep finished with --resume.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "descent/core/atomic_file.hpp"
#include "descent/core/json_file.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

std::size_t count_of(const std::string& text, const std::string& word) {
  std::size_t count = 0;
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++count;
  return count;
}

class CompareCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 700, 200); }

  Outcome run(const std::string& args) { return testing::run_descent(args, work_.path()); }

  // The data and network of every sweep here.
  std::string data_flags() const {
    return " --epochs 1 --hidden 16 --data-dir " + data_.path().string() + " --validation-size 100";
  }

  std::string grid(const fs::path& out) const {
    return "compare --optimizers sgd:0.05,adam --lrs 1e-3,1e-2 --schedules constant,step "
           "--seeds 0,1" +
           data_flags() + " --jobs 2 --out " + out.string();
  }

  // Each run's losses (history.json), by run id.
  static std::map<std::string, nlohmann::json> losses(const fs::path& dir) {
    std::map<std::string, nlohmann::json> all;
    for (const auto& row : read_json_file(dir / "summary.json")) {
      const std::string id = row["run"];
      all[id] = read_json_file(dir / "runs" / id / "history.json")["loss"];
    }
    return all;
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(CompareCommandTest, GridWritesTheFolderAndPrintsTheBestRates) {
  const fs::path dir = work_.path() / "sweep";
  const Outcome o = run(grid(dir) + " -q");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");
  const auto rows = read_json_file(dir / "summary.json");
  ASSERT_EQ(rows.size(), (1u + 2u) * 2u * 2u);
  std::set<std::pair<std::string, double>> combos;
  for (const auto& row : rows) {
    EXPECT_EQ(row["status"], "finished") << row;
    combos.insert({row["optimizer"].get<std::string>(), row["lr"].get<double>()});
    const auto config =
        read_json_file(dir / "runs" / row["run"].get<std::string>() / "config.json");
    EXPECT_EQ(config["epochs"], 1);
    EXPECT_EQ(config["hidden"], nlohmann::json({16}));
    EXPECT_EQ(config["threads"], 1);  // one thread a run unless told otherwise
    EXPECT_EQ(config["diverge-factor"], 3);
    EXPECT_EQ(config["seed"], row["seed"]);
  }
  EXPECT_EQ(combos, (std::set<std::pair<std::string, double>>{
                        {"sgd", 0.05}, {"adam", 1e-3}, {"adam", 1e-2}}));
  for (const char* file : {"summary.csv", "experiment.json", "report.html"}) {
    EXPECT_TRUE(fs::exists(dir / file)) << file;
  }
  const auto experiment = read_json_file(dir / "experiment.json");
  ASSERT_EQ(experiment["groups"].size(), 1u);
  EXPECT_EQ(experiment["groups"][0]["kind"], "lr-sweep");
  EXPECT_EQ(experiment["groups"][0]["runs"].size(), 12u);
  EXPECT_EQ(experiment["seeds"], nlohmann::json({0, 1}));

  // The table: each optimizer's best rate, by mean validation accuracy over seeds.
  std::map<std::pair<std::string, double>, double> mean;
  for (const auto& row : rows) {
    mean[{row["optimizer"].get<std::string>(), row["lr"].get<double>()}] +=
        row["val_acc"].get<double>();
  }
  const double adam_best = mean[{"adam", 1e-3}] >= mean[{"adam", 1e-2}] ? 1e-3 : 1e-2;
  EXPECT_NE(o.out.find("best lr"), std::string::npos) << o.out;
  const auto line_of = [&](const std::string& name) {
    const auto at = o.out.find("\n" + name + " ");
    if (at == std::string::npos) return std::string();
    return o.out.substr(at + 1, o.out.find('\n', at + 1) - at - 1);
  };
  EXPECT_NE(line_of("sgd").find("0.05"), std::string::npos) << o.out;
  EXPECT_NE(line_of("adam").find(adam_best == 1e-3 ? "0.001" : "0.01"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("12 runs, 0 diverged"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find((dir / "summary.csv").string()), std::string::npos) << o.out;

  // Again: every run is kept, none trained.
  const std::string summary = read_file(dir / "summary.json");
  const Outcome again = run(grid(dir));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(count_of(again.err, "kept from before"), 12u) << again.err;
  EXPECT_EQ(read_file(dir / "summary.json"), summary);

  // --resume takes every setting from the folder.
  const Outcome resumed = run("compare --resume " + dir.string() + " --jobs 1");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(count_of(resumed.err, "kept from before"), 12u) << resumed.err;
  EXPECT_EQ(read_file(dir / "summary.json"), summary);
  EXPECT_NE(resumed.out.find("best lr"), std::string::npos);

  // The folder's experiment.json as an experiment file: the same runs, the same numbers.
  const fs::path copy = work_.path() / "copy";
  const Outcome repeated = run("compare --experiment " + (dir / "experiment.json").string() +
                               " --out " + copy.string() + " -q");
  ASSERT_EQ(repeated.exit_code, 0) << repeated.err;
  EXPECT_EQ(losses(copy), losses(dir));
  EXPECT_EQ(read_json_file(copy / "experiment.json"), experiment);
}

TEST_F(CompareCommandTest, TuningProtocolRunsStudiesOfDrawnRatesAndReportsTheMedian) {
  const fs::path dir = work_.path() / "tuning";
  const std::string args =
      "compare --optimizers sgd,adam --lrs 1e-3,1e-1 --studies 2 --trials 2 "
      "--target val_acc=0.2" +
      data_flags() + " --jobs 2 -q --out " + dir.string();
  const Outcome o = run(args);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto experiment = read_json_file(dir / "experiment.json");
  ASSERT_EQ(experiment["groups"].size(), 2u);
  for (std::size_t j = 0; j < 2; ++j) {
    const auto& study = experiment["groups"][j];
    EXPECT_EQ(study["name"], "study-" + std::to_string(j + 1));
    EXPECT_EQ(study["study"], j + 1);
    EXPECT_EQ(study["seeds"], nlohmann::json::array({j}));
    EXPECT_EQ(study["runs"].size(), 4u);
  }
  const auto rows = read_json_file(dir / "summary.json");
  ASSERT_EQ(rows.size(), 8u);
  for (const auto& row : rows) {
    EXPECT_GE(row["lr"].get<double>(), 1e-3);
    EXPECT_LE(row["lr"].get<double>(), 1e-1);
  }
  const std::string page = read_file(dir / "report.html");
  EXPECT_NE(page.find("id=\"protocol\""), std::string::npos);
  EXPECT_NE(page.find("2 independent studies"), std::string::npos);
  EXPECT_NE(o.out.find("tuning protocol"), std::string::npos) << o.out;

  // Resumed from its folder: every run kept.
  const Outcome resumed = run("compare --resume " + dir.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(count_of(resumed.err, "kept from before"), 8u) << resumed.err;

  const Outcome seeds = run("compare --studies 2 --seeds 0,1" + data_flags());
  expect_one_line_error(seeds, "seeds");
  const fs::path file = work_.path() / "file.json";
  write_file_atomic(file, read_file(dir / "experiment.json"));
  expect_one_line_error(run("compare --experiment " + file.string() + " --studies 2"), "studies");
  const Outcome zero = run("compare --trials 0" + data_flags());
  EXPECT_NE(zero.exit_code, 0);
  EXPECT_NE(zero.err.find("trials"), std::string::npos) << zero.err;
}

TEST_F(CompareCommandTest, ExperimentFileDefinesGroupsThatShareRuns) {
  const fs::path file = work_.path() / "experiment.json";
  write_file_atomic(file, R"({
    "name": "mine", "title": "Two groups",
    "base": {"epochs": 1, "hidden": [16], "validation-size": 100, "data-dir": ")" +
                              data_.path().string() + R"("},
    "seeds": [0],
    "groups": [
      {"name": "sweep", "kind": "lr-sweep", "optimizers": ["sgd"], "lrs": [0.01, 0.05]},
      {"name": "decay", "kind": "decay", "optimizers": [{"name": "sgd"}],
       "best-lr-from": "sweep", "schedules": ["constant", {"name": "halving",
       "schedule": "step", "step-size": 1, "gamma": 0.5, "schedule-unit": "epoch"}]}
    ]})");
  const fs::path dir = work_.path() / "sweep";
  const Outcome o = run("compare --experiment " + file.string() + " --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto experiment = read_json_file(dir / "experiment.json");
  EXPECT_EQ(experiment["name"], "mine");
  ASSERT_EQ(experiment["groups"].size(), 2u);
  EXPECT_EQ(experiment["groups"][1]["runs"].size(), 2u);
  const auto rows = read_json_file(dir / "summary.json");
  EXPECT_EQ(rows.size(), 3u);  // the constant run is the sweep's
  for (const auto& row : rows) {
    // The base settings of the file reach every run.
    const auto config =
        read_json_file(dir / "runs" / row["run"].get<std::string>() / "config.json");
    EXPECT_EQ(config["epochs"], 1);
    EXPECT_EQ(config["hidden"], nlohmann::json({16}));
    EXPECT_EQ(config["data-dir"], data_.path().string());
    if (row["schedule"] == "halving") {
      EXPECT_EQ(config["schedule"], "step");
      EXPECT_EQ(config["gamma"], 0.5);
      EXPECT_EQ(config["schedule-unit"], "epoch");
    }
  }
  EXPECT_EQ(count_of(o.err, "] "), 3u) << o.err;                       // one line per run
  EXPECT_NE(o.out.find("test accuracy"), std::string::npos) << o.out;  // the decay table
}

TEST_F(CompareCommandTest, SweepWhereEveryRateDivergesStillEnds) {
  const fs::path file = work_.path() / "experiment.json";
  write_file_atomic(file, R"({"name": "wild", "seeds": [0],
    "groups": [
      {"name": "sweep", "kind": "lr-sweep", "optimizers": ["sgd"], "lrs": [1000, 3000]},
      {"name": "decay", "kind": "decay", "optimizers": ["sgd"], "best-lr-from": "sweep",
       "schedules": ["constant", "step"]}
    ]})");
  const fs::path dir = work_.path() / "sweep";
  const Outcome o =
      run("compare --experiment " + file.string() + data_flags() + " --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(count_of(o.err, " diverged: "), 2u) << o.err;
  EXPECT_NE(o.out.find("no learning rate without divergence"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("2 runs, 2 diverged"), std::string::npos) << o.out;
  for (const auto& row : read_json_file(dir / "summary.json")) EXPECT_EQ(row["status"], "diverged");
}

TEST_F(CompareCommandTest, BadFlagsAreOneLineErrorsNamingThem) {
  const std::string out = " --out " + (work_.path() / "bad").string();
  const std::string base = "compare" + data_flags() + out + " -q";
  expect_one_line_error(run(base + " --optimizers nope"), "nope");
  expect_one_line_error(run(base + " --optimizers sgd:fast"), "sgd:fast");
  expect_one_line_error(run(base + " --optimizers sgd --schedules nope"), "nope");
  expect_one_line_error(run(base + " --optimizers sgd --jobs 0"), "jobs");
  expect_one_line_error(run(base + " --optimizers sgd --lrs -1"), "lrs");
  expect_one_line_error(run(base + " --optimizers sgd --threads-per-run 0"), "threads-per-run");
  expect_one_line_error(run(base + " --optimizers sgd --diverge-factor 0.5"), "diverge-factor");
  expect_one_line_error(run("compare --resume " + (work_.path() / "none").string()), "none");

  // A folder that holds another sweep.
  const fs::path dir = work_.path() / "sweep";
  fs::create_directories(dir);
  write_file_atomic(dir / "experiment.json",
                    R"({"name": "other", "title": "", "base": {}, "seeds": [0], "groups": []})");
  expect_one_line_error(run("compare --resume " + dir.string() + " --epochs 2"), "--epochs");
  expect_one_line_error(run("compare --resume " + dir.string() + " --optimizers adam"),
                        "--optimizers");
  expect_one_line_error(
      run("compare --optimizers adam" + data_flags() + " --out " + dir.string() + " -q"),
      dir.string());

  const fs::path file = work_.path() / "e.json";
  write_file_atomic(file, "{\"name\": \"x\", \"groups\": [");
  expect_one_line_error(run("compare --experiment " + file.string() + out), file.string());
  write_file_atomic(file, R"({"name": "x", "colour": "red", "groups": [{"name": "g",
                             "optimizers": ["sgd"]}]})");
  expect_one_line_error(run("compare --experiment " + file.string() + out), "colour");
  write_file_atomic(file, R"({"name": "x", "groups": [{"name": "g", "optimizers": ["sgd"],
                             "speed": 3}]})");
  expect_one_line_error(run("compare --experiment " + file.string() + out), "speed");
  write_file_atomic(file, R"({"name": "x", "groups": [{"name": "g",
                             "optimizers": [{"name": "sgd", "momentum": 0.9}]}]})");
  expect_one_line_error(run("compare --experiment " + file.string() + out), "momentum");
  write_file_atomic(file, R"({"name": "x", "base": {"epochz": 1},
                             "groups": [{"name": "g", "optimizers": ["sgd"]}]})");
  expect_one_line_error(run("compare --experiment " + file.string() + out), "epochz");
  write_file_atomic(file, R"({"name": "x", "groups": [{"name": "g", "optimizers": ["sgd"],
                             "best-lr-from": "later"}, {"name": "later",
                             "optimizers": ["sgd"]}]})");
  expect_one_line_error(run("compare --experiment " + file.string() + data_flags() + out),
                        "best-lr-from");
  write_file_atomic(file, R"({"name": "x", "groups": [{"name": "g", "optimizers": ["sgd"]}]})");
  expect_one_line_error(
      run("compare --experiment " + file.string() + " --optimizers adam" + data_flags() + out),
      "--optimizers");
}

// SIGINT stops the sweep with a checkpoint and exit code 130; --resume ends it.
TEST_F(CompareCommandTest, InterruptedSweepResumesToTheEnd) {
  const fs::path dir = work_.path() / "sweep";
  const pid_t pid = testing::start_descent(
      "compare --optimizers sgd:0.05 --seeds 0,1,2 --data-dir " + data_.path().string() +
          " --validation-size 100 --hidden 64,64 --epochs 10 --batch-size 5 --jobs 1 --out " +
          dir.string(),
      work_.path() / "err.txt");
  ASSERT_GT(pid, 0);
  // The first run's first epoch: the sweep is under way.
  const int status = testing::signal_when_exists(
      pid, dir / "runs" / "sgd-lr0.05-constant-s0" / "history.json", SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string err = read_file(work_.path() / "err.txt");
  EXPECT_NE(err.find("--resume " + dir.string()), std::string::npos) << err;
  std::size_t pending = 0;
  for (const auto& row : read_json_file(dir / "summary.json"))
    pending += row["status"] == "pending";
  EXPECT_GT(pending, 0u);
  EXPECT_TRUE(fs::exists(dir / "report.html"));

  const Outcome resumed = run("compare --resume " + dir.string() + " -q");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto rows = read_json_file(dir / "summary.json");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    EXPECT_EQ(row["status"], "finished") << row;
    const auto history =
        read_json_file(dir / "runs" / row["run"].get<std::string>() / "history.json");
    EXPECT_EQ(history["epochs"].size(), 10u);
    EXPECT_EQ(history["loss"].size(), 10u * 120u);
  }
}

}  // namespace
}  // namespace descent

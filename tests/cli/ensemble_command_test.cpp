// `descent ensemble` and `descent evaluate` as a user runs them: a small
// ensemble trained on synthetic data, its files, `descent evaluate` of the
// ensemble and of a member agreeing with ensemble_metrics.json, and errors as
// one line.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/json_file.hpp"
#include "descent/ensemble/ensemble.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

// The accuracy on the line of `descent evaluate` that starts with `label`.
double accuracy_of(const std::string& out, const std::string& label) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(label + ": accuracy ", 0) != 0) continue;
    return std::stod(line.substr(label.size() + 11));
  }
  ADD_FAILURE() << "no line '" << label << ": accuracy' in:\n" << out;
  return -1;
}

class EnsembleCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::TempDir;
    work_ = new testing::TempDir;
    testing::write_synthetic_idx(data_->path(), 700, 200);
    trained_ = new Outcome(run(
        "ensemble --members 3 --epochs 1 --hidden 16 --validation-size 100 --jobs 2 --data-dir " +
        data_->path().string() + " --out " + dir().string()));
  }
  static void TearDownTestSuite() {
    delete trained_;
    delete work_;
    delete data_;
  }

  static Outcome run(const std::string& args) { return testing::run_descent(args, work_->path()); }
  static fs::path dir() { return work_->path() / "ens"; }

  static testing::TempDir* data_;
  static testing::TempDir* work_;
  static Outcome* trained_;
};

testing::TempDir* EnsembleCommandTest::data_ = nullptr;
testing::TempDir* EnsembleCommandTest::work_ = nullptr;
Outcome* EnsembleCommandTest::trained_ = nullptr;

TEST_F(EnsembleCommandTest, TrainsMembersAndWritesTheEnsemble) {
  ASSERT_EQ(trained_->exit_code, 0) << trained_->err;
  for (const char* file :
       {"ensemble.json", "ensemble_metrics.json", "size.png", "size.svg", "report.html"}) {
    EXPECT_TRUE(fs::exists(dir() / file)) << file;
  }
  const std::string page = read_file(dir() / "report.html");
  EXPECT_NE(page.find("<canvas id=\"chart-size\""), std::string::npos);
  EXPECT_NE(page.find("ensemble mean-probs"), std::string::npos);
  EXPECT_NE(page.find("Ensemble of 3 members"), std::string::npos);
  const auto metrics = read_json_file(dir() / "ensemble_metrics.json");
  ASSERT_EQ(metrics["members"].size(), 3u);
  EXPECT_EQ(metrics["combine"], "mean-probs");
  for (const char* rule : {"mean-probs", "vote", "mean-logits"}) {
    EXPECT_EQ(metrics["accuracy_by_size"][rule].size(), 3u) << rule;
    EXPECT_EQ(metrics["accuracy_by_size"][rule][0], metrics["members"][0]["test_acc"]) << rule;
    EXPECT_EQ(metrics["accuracy_by_size"][rule][2], metrics["ensemble"][rule]["test_acc"]) << rule;
  }
  EXPECT_GT(metrics["us_per_sample"]["ensemble"].get<double>(), 0.0);
  for (std::size_t i = 0; i < 3; ++i) {
    const fs::path run = metrics["members"][i]["folder"].get<std::string>();
    EXPECT_EQ(run.parent_path(), dir() / "runs");
    EXPECT_TRUE(fs::exists(run / "model.bin")) << run;
    const auto config = read_json_file(run / "config.json");
    EXPECT_EQ(config["seed"], i);
    EXPECT_EQ(config["threads"], 1);  // one thread a member
  }
  const LoadedEnsemble loaded = load_ensemble(dir() / "ensemble.json");
  EXPECT_EQ(loaded.ensemble.size(), 3u);
  EXPECT_EQ(loaded.combine, Combine::mean_probabilities);
  EXPECT_NE(trained_->out.find("ensemble mean-probs"), std::string::npos) << trained_->out;
  EXPECT_NE(trained_->out.find("mean member"), std::string::npos) << trained_->out;
  EXPECT_NE(trained_->err.find("ensemble: 3 members"), std::string::npos) << trained_->err;
}

TEST_F(EnsembleCommandTest, EvaluateAgreesWithTheMetrics) {
  ASSERT_EQ(trained_->exit_code, 0) << trained_->err;
  const auto metrics = read_json_file(dir() / "ensemble_metrics.json");
  const Outcome whole = run("evaluate " + (dir() / "ensemble.json").string());
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(accuracy_of(whole.out, "ensemble mean-probs"),
            metrics["ensemble"]["mean-probs"]["test_acc"].get<double>());
  for (const auto& member : metrics["members"]) {
    EXPECT_EQ(accuracy_of(whole.out, "member " + member["folder"].get<std::string>()),
              member["test_acc"].get<double>());
  }
  const Outcome vote = run("evaluate " + (dir() / "ensemble.json").string() + " --combine vote");
  ASSERT_EQ(vote.exit_code, 0) << vote.err;
  EXPECT_EQ(accuracy_of(vote.out, "ensemble vote"),
            metrics["ensemble"]["vote"]["test_acc"].get<double>());

  const fs::path first = metrics["members"][0]["folder"].get<std::string>();
  const Outcome one = run("evaluate " + first.string());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(accuracy_of(one.out, "model"), metrics["members"][0]["test_acc"].get<double>());
  // The run's own test accuracy, measured by the trainer.
  EXPECT_EQ(accuracy_of(one.out, "model"), read_json_file(first / "metrics.json")["test_acc"]);
  const Outcome file = run("evaluate " + (first / "model.bin").string() + " --split validation");
  ASSERT_EQ(file.exit_code, 0) << file.err;
  EXPECT_NE(file.out.find("100 validation samples"), std::string::npos) << file.out;
}

TEST_F(EnsembleCommandTest, FromCompareTakesEachOptimizersBestRun) {
  const fs::path sweep = work_->path() / "compare";
  const Outcome compare =
      run("compare -q --optimizers sgd,adam --lrs 1e-3,1e-2 --epochs 1 "
          "--hidden 16 --validation-size 100 --jobs 2 --data-dir " +
          data_->path().string() + " --out " + sweep.string());
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  const fs::path out = work_->path() / "from-compare";
  const Outcome o =
      run("ensemble -q --from-compare " + sweep.string() + " --combine vote --out " + out.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto metrics = read_json_file(out / "ensemble_metrics.json");
  ASSERT_EQ(metrics["members"].size(), 2u);
  EXPECT_EQ(metrics["combine"], "vote");
  std::map<std::string, double> best_val;  // optimizer -> best final val acc
  for (const auto& row : read_json_file(sweep / "summary.json")) {
    if (row["status"] != "finished") continue;
    const std::string name = row["optimizer"];
    best_val[name] = std::max(best_val[name], row["val_acc"].get<double>());
  }
  for (const auto& member : metrics["members"]) {
    const fs::path folder = member["folder"].get<std::string>();
    EXPECT_EQ(folder.parent_path(), sweep / "runs");
    const auto run_metrics = read_json_file(folder / "metrics.json");
    const std::string name = read_json_file(folder / "config.json")["optimizer"];
    EXPECT_EQ(run_metrics["final_val_acc"].get<double>(), best_val.at(name)) << folder;
  }
  expect_one_line_error(run("ensemble --from-compare " + sweep.string() + " --members 3"),
                        "--members");
}

// One run with --snapshots 3: its three snapshots reported as the members.
TEST_F(EnsembleCommandTest, SnapshotsOfOneRunAreTheMembers) {
  const fs::path out = work_->path() / "snapshots";
  const Outcome o =
      run("ensemble --snapshots 3 --epochs 3 --hidden 16 --validation-size 100 --lr 0.05 "
          "--data-dir " +
          data_->path().string() + " --out " + out.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("ensemble: 3 snapshots of one sgd run"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("snapshots/3"), std::string::npos) << o.out;
  const auto metrics = read_json_file(out / "ensemble_metrics.json");
  ASSERT_EQ(metrics["members"].size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(fs::path(metrics["members"][k]["folder"].get<std::string>()),
              out / "run" / "snapshots" / std::to_string(k + 1));
  }
  EXPECT_EQ(metrics["accuracy_by_size"]["mean-probs"].size(), 3u);
  EXPECT_EQ(read_json_file(out / "run" / "config.json")["snapshots"], 3);
  EXPECT_EQ(load_ensemble(out / "ensemble.json").ensemble.size(), 3u);
  // The last snapshot is the run's weights after its last update.
  EXPECT_EQ(read_json_file(out / "run" / "snapshots" / "3" / "metrics.json")["iteration"],
            read_json_file(out / "run" / "metrics.json")["iterations"]);

  expect_one_line_error(run("ensemble --snapshots 3 --members 4"), "--members");
  expect_one_line_error(run("ensemble --snapshots 3 --schedule cosine --period 10"),
                        "--schedule");
  expect_one_line_error(run("ensemble --snapshots 0"), "snapshots");
}

TEST_F(EnsembleCommandTest, BadInputIsOneLineError) {
  ASSERT_EQ(trained_->exit_code, 0) << trained_->err;
  expect_one_line_error(run("evaluate " + (work_->path() / "nothing").string()), "nothing");
  expect_one_line_error(run("ensemble --from-compare " + (work_->path() / "nothing").string()),
                        "nothing");
  expect_one_line_error(run("ensemble --members 0"), "members");
  expect_one_line_error(run("ensemble --members 2 --seeds 0,1,2"), "seeds");
  expect_one_line_error(run("ensemble --combine median"), "combine");

  // A member folder that is gone.
  const auto metrics = read_json_file(dir() / "ensemble_metrics.json");
  const std::string first = metrics["members"][0]["folder"];
  const auto ensemble_of = [&](const std::string& second) {
    return nlohmann::json({{"kind", "descent ensemble"},
                           {"version", 1},
                           {"combine", "vote"},
                           {"members", {first, second}}})
        .dump();
  };
  const fs::path broken = work_->path() / "broken";
  fs::create_directories(broken);
  write_file_atomic(broken / "ensemble.json", ensemble_of("gone"));
  expect_one_line_error(run("evaluate " + (broken / "ensemble.json").string()), "gone");

  // A member trained on inputs of another size.
  const testing::TempDir small;
  testing::write_synthetic_idx(small.path(), 300, 100, 6);
  const Outcome wide = run("train -q --epochs 1 --hidden 4 --validation-size 100 --data-dir " +
                           small.path().string() + " --out " + (work_->path() / "six").string());
  ASSERT_EQ(wide.exit_code, 0) << wide.err;
  write_file_atomic(broken / "ensemble.json", ensemble_of("../six"));
  expect_one_line_error(run("evaluate " + (broken / "ensemble.json").string()), "six");
  // The 6x6 model on the 8x8 data.
  expect_one_line_error(
      run("evaluate " + (work_->path() / "six").string() + " --data-dir " + data_->path().string()),
      "input");
}

}  // namespace
}  // namespace descent

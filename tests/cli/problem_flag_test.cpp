// descent train --problem, descent compare --problem and descent problems: a
// named test problem (train/problem.hpp) fixes the data, the network, the
// batch size and the epochs; the flags that would change the problem are
// refused; a problem's run resumes like any other.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/json_file.hpp"
#include "descent/experiment/findings.hpp"
#include "descent/train/config.hpp"
#include "descent/train/problem.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

class ProblemFlagTest : public ::testing::Test {
 protected:
  // Fashion-MNIST's shape: 28x28 images of 10 classes.
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 300, 60, 28); }

  Outcome run(const std::string& args) {
    return testing::run_descent(args + " --data-dir " + data_.path().string() +
                                    " --validation-size 60 -q",
                                work_.path());
  }

  // Starts the train command `args` writing to `killed`, kills it once its
  // first checkpoint is there, and resumes it to the end.
  void kill_then_resume(const std::string& args, const fs::path& killed) {
    const pid_t pid = testing::start_descent(args + " --out " + killed.string());
    ASSERT_GT(pid, 0);
    const int status = testing::signal_when_exists(pid, killed / "checkpoint.bin", SIGKILL,
                                                   std::chrono::milliseconds(50));
    ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";
    const Outcome resumed =
        testing::run_descent("train -q --resume " + killed.string(), work_.path());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(ProblemFlagTest, ProblemsListsEveryProblemAndShowsOne) {
  const Outcome list = testing::run_descent("problems", work_.path());
  ASSERT_EQ(list.exit_code, 0) << list.err;
  for (const Problem& problem : problems()) {
    EXPECT_NE(list.out.find(problem.name), std::string::npos) << problem.name;
  }
  const Outcome one = testing::run_descent("problems fmnist-2c2d", work_.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("conv 32 5x5 pad=same init=truncated-normal:0.05 bias=0.05"),
            std::string::npos)
      << one.out;
  EXPECT_NE(one.out.find("fmnist_2c2d.py"), std::string::npos) << one.out;
  expect_one_line_error(testing::run_descent("problems nowhere", work_.path()), "nowhere");
}

// The run's config.json is the problem's config, with the optimizer and the
// budget flags given on top.
TEST_F(ProblemFlagTest, TrainTakesTheProblemsNetworkDataAndBudget) {
  const fs::path out = work_.path() / "logreg";
  const Outcome outcome =
      run("train --problem fmnist-logreg --epochs 2 --optimizer adam --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const nlohmann::json config = read_json_file(out / "config.json");
  const nlohmann::json problem = to_json(train_config(find_problem("fmnist-logreg")));
  EXPECT_EQ(config.at("layers"), problem.at("layers"));
  EXPECT_EQ(config.at("input-shape"), problem.at("input-shape"));
  EXPECT_EQ(config.at("normalization"), problem.at("normalization"));
  EXPECT_EQ(config.at("batch-size"), 128);
  EXPECT_EQ(config.at("epochs"), 2);
  EXPECT_EQ(config.at("optimizer"), "adam");
  EXPECT_EQ(config.at("validation-size"), 60);
  EXPECT_EQ(read_json_file(out / "metrics.json").at("status"), "finished");

  const fs::path conv = work_.path() / "conv";
  const Outcome conv_run = run("train --problem fmnist-2c2d --train-size 100 --epochs 1 "
                               "--batch-size 50 --out " +
                               conv.string());
  ASSERT_EQ(conv_run.exit_code, 0) << conv_run.err;
  const nlohmann::json conv_config = read_json_file(conv / "config.json");
  EXPECT_EQ(conv_config.at("layers"),
            to_json(train_config(find_problem("fmnist-2c2d"))).at("layers"));
  EXPECT_EQ(conv_config.at("batch-size"), 50);
  EXPECT_TRUE(fs::exists(conv / "model.bin"));
}

TEST_F(ProblemFlagTest, FlagsThatChangeTheProblemAreOneLineErrors) {
  const std::string base = "train --problem fmnist-logreg --out " + (work_.path() / "x").string();
  expect_one_line_error(run(base + " --hidden 10"), "hidden");
  expect_one_line_error(run(base + " --dropout 0.5"), "dropout");
  expect_one_line_error(run(base + " --dataset mnist"), "dataset");
  expect_one_line_error(run(base + " --init xavier"), "init");
  expect_one_line_error(run("train --problem nowhere"), "nowhere");
  expect_one_line_error(run("compare --problem fmnist-mlp --hidden 5"), "hidden");
}

// A problem whose files are missing names the problem and the package.
TEST_F(ProblemFlagTest, MissingDataNamesTheProblemAndThePackage) {
  const testing::TempDir empty;
  const Outcome outcome = testing::run_descent(
      "train --problem fmnist-logreg -q --data-dir " + empty.path().string(), work_.path());
  expect_one_line_error(outcome, "fmnist-logreg");
  EXPECT_NE(outcome.err.find("dataset-fashion-mnist"), std::string::npos) << outcome.err;
}

// Killed with SIGKILL after a checkpoint, the problem's run resumes from its
// config.json and ends with the numbers of a run never stopped.
TEST_F(ProblemFlagTest, AKilledProblemRunResumesToTheSameNumbers) {
  const std::string settings = "train --problem fmnist-logreg --epochs 30 --batch-size 10 "
                               "--checkpoint-every 5 --optimizer momentum --lr 0.05";
  const fs::path whole = work_.path() / "whole";
  ASSERT_EQ(run(settings + " --out " + whole.string()).exit_code, 0);
  const fs::path killed = work_.path() / "killed";
  ASSERT_NO_FATAL_FAILURE(kill_then_resume(
      settings + " --data-dir " + data_.path().string() + " --validation-size 60 -q", killed));
  EXPECT_EQ(read_file(whole / "loss.csv"), read_file(killed / "loss.csv"));
  EXPECT_EQ(read_file(whole / "model.bin"), read_file(killed / "model.bin"));
  expect_one_line_error(
      testing::run_descent("train --resume " + killed.string() + " --problem fmnist-mlp",
                           work_.path()),
      "--problem");
}

TEST_F(ProblemFlagTest, CompareSweepsOnTheProblem) {
  const fs::path out = work_.path() / "sweep";
  const Outcome outcome = run("compare --problem fmnist-logreg --optimizers sgd,adam --epochs 1 "
                              "--jobs 1 --out " +
                              out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const nlohmann::json summary = read_json_file(out / "summary.json");
  ASSERT_EQ(summary.size(), 2u);
  // experiment.json names the problem in place of the data and network it fixes.
  const nlohmann::json experiment = read_json_file(out / "experiment.json");
  EXPECT_EQ(experiment.at("base").at("problem"), "fmnist-logreg");
  EXPECT_FALSE(experiment.at("base").contains("layers")) << experiment.dump();
  for (const nlohmann::json& row : summary) {
    const nlohmann::json config =
        read_json_file(out / "runs" / row.at("run").get<std::string>() / "config.json");
    EXPECT_EQ(config.at("batch-size"), 128);
    EXPECT_EQ(config.at("layers").size(), 1u);
  }
  // So the sweep resumes from its folder, keeping both runs.
  const Outcome resumed = testing::run_descent("compare --resume " + out.string(), work_.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("(kept from before)"), std::string::npos) << resumed.err;
  EXPECT_EQ(read_json_file(out / "experiment.json"), experiment);
}

// --problems: the same sweep on each problem into its own folder, then one
// report whose performance profile spans them; --resume continues them all.
TEST_F(ProblemFlagTest, CompareOnSeveralProblemsDrawsTheProfileAcrossThem) {
  const fs::path out = work_.path() / "problems";
  const std::string sweep = "compare --problems fmnist-logreg,fmnist-mlp --optimizers sgd,adam "
                            "--epochs 1 --train-size 200 --target val_acc=0.05 --jobs 2 --out " +
                            out.string();
  const Outcome outcome = run(sweep);
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(read_json_file(out / "problems.json").at("problems"),
            nlohmann::json({"fmnist-logreg", "fmnist-mlp"}));
  for (const char* problem : {"fmnist-logreg", "fmnist-mlp"}) {
    const nlohmann::json summary = read_json_file(out / problem / "summary.json");
    ASSERT_EQ(summary.size(), 2u) << problem;
    const nlohmann::json config =
        read_json_file(out / problem / "runs" / summary[0].at("run").get<std::string>() /
                       "config.json");
    EXPECT_EQ(config.at("layers").size(), problem == std::string("fmnist-logreg") ? 1u : 7u)
        << config.at("layers");
  }
  const std::string page = read_file(out / "report.html");
  EXPECT_NE(page.find("<section id=\"profile\">"), std::string::npos);
  EXPECT_NE(page.find("fmnist-logreg: ratio"), std::string::npos);
  EXPECT_NE(page.find("fmnist-mlp: ratio"), std::string::npos);
  EXPECT_NE(outcome.out.find("performance profile over 2 problems"), std::string::npos)
      << outcome.out;

  // Resumed from the top folder: every run of both problems is kept.
  const Outcome resumed = testing::run_descent("compare --resume " + out.string(), work_.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  std::size_t kept = 0;
  for (auto at = resumed.err.find("kept from before"); at != std::string::npos;
       at = resumed.err.find("kept from before", at + 1)) {
    ++kept;
  }
  EXPECT_EQ(kept, 4u) << resumed.err;

  expect_one_line_error(run("compare --problems fmnist-logreg,nowhere"), "nowhere");
  expect_one_line_error(run("compare --problems fmnist-logreg --problem fmnist-mlp"), "problem");
}

// The errors of --problems and of resuming its folder: one line each, naming
// what is wrong, and nothing of the folder lost.
TEST_F(ProblemFlagTest, SeveralProblemsErrorsAreOneLine) {
  expect_one_line_error(run("compare --problems fmnist-logreg,fmnist-logreg"), "twice");
  expect_one_line_error(run("compare --problems fmnist-logreg,fmnist-mlp --distributed --out x"),
                        "distributed");
  const fs::path out = work_.path() / "broken";
  fs::create_directories(out);
  write_file_atomic(out / "problems.json", R"({"problems": 3})");
  const Outcome corrupt = testing::run_descent("compare --resume " + out.string(), work_.path());
  expect_one_line_error(corrupt, "problems.json");
  write_file_atomic(out / "problems.json", R"({"problems": ["fmnist-logreg"]})");
  const Outcome unstarted = testing::run_descent("compare --resume " + out.string(), work_.path());
  expect_one_line_error(unstarted, "never started");
  EXPECT_TRUE(fs::exists(out / "problems.json"));
}

// quadratic-deep needs no files: its samples are drawn. train reports the
// test loss of the epoch of lowest validation loss; compare counts time to
// the problem's own loss target and ranks the rates by validation loss.
TEST_F(ProblemFlagTest, QuadraticDeepTrainsAndComparesWithoutDataFiles) {
  const Outcome shown = testing::run_descent("problems quadratic-deep", work_.path());
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("loss: quadratic-deep"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("val_loss=88"), std::string::npos) << shown.out;

  const fs::path run_dir = work_.path() / "quadratic";
  const Outcome trained = testing::run_descent(
      "train --problem quadratic-deep --optimizer sgd --lr 0.01 --epochs 20 --out " +
          run_dir.string(),
      work_.path());
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_NE(trained.out.find("by validation loss"), std::string::npos) << trained.out;
  const nlohmann::json config = read_json_file(run_dir / "config.json");
  EXPECT_EQ(config.at("loss"), "quadratic-deep");
  EXPECT_EQ(config.at("drop-last"), true);
  const nlohmann::json metrics = read_json_file(run_dir / "metrics.json");
  EXPECT_EQ(metrics.at("iterations"), 140) << "7 whole batches of 128 an epoch";

  const fs::path once_dir = work_.path() / "quadratic-once";
  const Outcome once = testing::run_descent(
      "train --problem quadratic-deep --optimizer sgd --lr 0.01 --epochs 2 --shuffle-once --out " +
          once_dir.string(),
      work_.path());
  ASSERT_EQ(once.exit_code, 0) << once.err;
  EXPECT_EQ(read_json_file(once_dir / "config.json").at("shuffle-once"), true);
  EXPECT_FALSE(config.contains("shuffle-once"));

  const fs::path sweep = work_.path() / "quadratic-sweep";
  const Outcome compared = testing::run_descent(
      "compare -q --problem quadratic-deep --optimizers sgd --lrs 0.001,0.01 --epochs 40 --out " +
          sweep.string(),
      work_.path());
  ASSERT_EQ(compared.exit_code, 0) << compared.err;
  const nlohmann::json summary = read_json_file(sweep / "summary.json");
  ASSERT_EQ(summary.size(), 2u);
  for (const nlohmann::json& row : summary) {
    EXPECT_EQ(row.at("target"), "val_loss=88");
    // lr 0.01 gets there in about 30 epochs, lr 0.001 not in 40.
    EXPECT_EQ(row.at("passes_to_target").is_null(), row.at("lr").get<double>() < 0.005)
        << row.dump();
  }
  // Ranked by the final validation loss, lowest first, where accuracy is 0.
  const SweepFolder folder = read_sweep_folder(sweep);
  EXPECT_FALSE(folder.classes);
  const SweepFindings findings = sweep_findings(folder);
  EXPECT_TRUE(findings.by_loss);
  ASSERT_EQ(findings.methods.size(), 1u);
  EXPECT_EQ(findings.methods[0].lr, 0.01);
  EXPECT_LT(findings.methods[0].val_loss.mean, 88.0);
  EXPECT_NE(read_file(sweep / "report.html").find("has the lowest final validation loss"),
            std::string::npos);
  EXPECT_NE(compared.out.find("val loss"), std::string::npos) << compared.out;
}

// A killed quadratic-deep run resumes from config.json alone (its input size
// comes with its loss) and ends as the uninterrupted run does.
TEST_F(ProblemFlagTest, AKilledQuadraticDeepRunResumesToTheSameNumbers) {
  const std::string settings =
      "train -q --problem quadratic-deep --optimizer adam --lr 0.05 "
      "--epochs 60 --checkpoint-every 7";
  const fs::path whole = work_.path() / "whole";
  ASSERT_EQ(testing::run_descent(settings + " --out " + whole.string(), work_.path()).exit_code, 0);
  const fs::path killed = work_.path() / "killed";
  ASSERT_NO_FATAL_FAILURE(kill_then_resume(settings, killed));
  EXPECT_EQ(read_file(whole / "model.bin"), read_file(killed / "model.bin"));
  EXPECT_EQ(read_json_file(whole / "history.json").at("loss"),
            read_json_file(killed / "history.json").at("loss"));
}

}  // namespace
}  // namespace descent

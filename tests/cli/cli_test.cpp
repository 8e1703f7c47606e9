// The descent program as a user runs it: flags, errors, run folders, resume.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "descent/core/atomic_file.hpp"
#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::expect_one_line_error;
using testing::Outcome;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_synthetic_idx(data_.path(), 700, 200); }

  // Runs `descent <args>` with the synthetic data unless --data-dir is given.
  Outcome run(const std::string& args) { return testing::run_descent(args, work_.path()); }

  std::string small_run(const std::string& out) {
    return "train --data-dir " + data_.path().string() +
           " --validation-size 100 --hidden 20,20 --epochs 3 --batch-size 20 --lr 0.05 --out " +
           out;
  }

  testing::TempDir data_;
  testing::TempDir work_;
};

TEST_F(CliTest, HelpListsEveryFlagWithItsDefault) {
  const Outcome top = run("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("train"), std::string::npos);
  const Outcome help = run("train --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag :
       {"--optimizer", "--lr", "--epochs", "--batch-size", "--hidden", "--init", "--weight-scale",
        "--reg", "--dropout", "--batchnorm", "--seed", "--threads", "--out", "--data-dir",
        "--dataset", "--train-size", "--config", "--resume", "--quiet"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(help.out.find("UINT=5 "), std::string::npos);    // epochs
  EXPECT_NE(help.out.find("UINT=100 "), std::string::npos);  // batch size
  EXPECT_NE(help.out.find("fashion-mnist"), std::string::npos);
}

TEST_F(CliTest, BadFlagsAreOneLineErrorsNamingThem) {
  const std::string base = "train --data-dir " + data_.path().string() + " ";
  expect_one_line_error(run(base + "--no-such-flag"), "--no-such-flag");
  expect_one_line_error(run(base + "--lr -1"), "lr");
  expect_one_line_error(run(base + "--lr 0"), "lr");
  expect_one_line_error(run(base + "--batch-size 0"), "batch-size");
  expect_one_line_error(run(base + "--dropout 1.5"), "dropout");
  expect_one_line_error(run(base + "--hidden ''"), "hidden");
  expect_one_line_error(run(base + "--hidden 100,0"), "hidden");
  expect_one_line_error(run(base + "--epochs abc"), "epochs");
  expect_one_line_error(run(base + "--dataset imagenet"), "dataset");
  expect_one_line_error(run(base + "--optimizer adamz"), "adamz");
  expect_one_line_error(run(base + "--threads -1"), "threads");
  expect_one_line_error(run(base + "--validation-size 100 --train-size 100000"), "train-size");
  expect_one_line_error(run(base + "--validation-size 100000"), "validation-size");
  expect_one_line_error(run(base + "--optimizer sgd --beta1 0.9"), "beta1");
  expect_one_line_error(run(base + "--optimizer adam --beta1 1.5"), "beta1");
  expect_one_line_error(run(base + "--optimizer adam --eps 0"), "eps");
  expect_one_line_error(run(base + "--schedule step"), "step-size");
  expect_one_line_error(run(base + "--schedule sometimes"), "sometimes");
  expect_one_line_error(run(base + "--schedule step --step-size 10 --gamma 1.5"), "gamma");
}

TEST_F(CliTest, MissingOrCorruptDataIsAOneLineErrorNamingTheFile) {
  expect_one_line_error(run("train --data-dir " + work_.path().string()),
                        "train-images-idx3-ubyte");
  write_file_atomic(data_.path() / "t10k-labels-idx1-ubyte.gz", "garbage");
  expect_one_line_error(run(small_run((work_.path() / "r").string())), "t10k-labels");
}

TEST_F(CliTest, TrainsAndWritesItsRunFolder) {
  const fs::path dir = work_.path() / "run";
  const Outcome o = run(small_run(dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("test accuracy"), std::string::npos);
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 4) << o.err;  // header + 3 epochs
  const auto metrics = nlohmann::json::parse(read_file(dir / "metrics.json"));
  EXPECT_EQ(metrics["status"], "finished");
  EXPECT_GT(metrics["test_acc"].get<double>(), 0.5);
  const auto config = nlohmann::json::parse(read_file(dir / "config.json"));
  EXPECT_EQ(config["lr"], 0.05);
  EXPECT_EQ(config["hidden"], nlohmann::json({20, 20}));
  EXPECT_EQ(run(small_run(dir.string())).exit_code, 1);  // will not overwrite a run
}

TEST_F(CliTest, QuietPrintsOnlyTheResult) {
  const Outcome o = run(small_run((work_.path() / "run").string()) + " --quiet");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(o.err.empty()) << o.err;
  EXPECT_NE(o.out.find("test accuracy"), std::string::npos);
}

TEST_F(CliTest, ConfigFileSetsFieldsAndFlagsOverrideIt) {
  const fs::path config = work_.path() / "c.json";
  write_file_atomic(config, R"({"hidden": [12], "lr": 0.02, "epochs": 2, "batch_size": 25,
                                "validation-size": 100})");
  const fs::path dir = work_.path() / "run";
  const Outcome o = run("train --config " + config.string() + " --data-dir " +
                        data_.path().string() + " --epochs 1 --quiet --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto resolved = nlohmann::json::parse(read_file(dir / "config.json"));
  EXPECT_EQ(resolved["hidden"], nlohmann::json({12}));
  EXPECT_EQ(resolved["lr"], 0.02);
  EXPECT_EQ(resolved["batch-size"], 25);
  EXPECT_EQ(resolved["epochs"], 1);

  write_file_atomic(config, R"({"learning_rate": 0.1})");
  expect_one_line_error(run("train --config " + config.string()), "learning");
  write_file_atomic(config, R"({"lr": "fast"})");
  expect_one_line_error(run("train --config " + config.string()), "lr");
  write_file_atomic(config, "{ not json");
  expect_one_line_error(run("train --config " + config.string()), "JSON");
  expect_one_line_error(run("train --config " + (work_.path() / "none.json").string()),
                        "none.json");
}

TEST_F(CliTest, ScheduleAndOptimizerSettingsReachTheRunAndItsConfig) {
  const fs::path dir = work_.path() / "run";
  const Outcome o = run(small_run(dir.string()) +
                        " --optimizer momentum --momentum 0.8 --schedule step --step-size 20"
                        " --gamma 0.5 --quiet");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto config = nlohmann::json::parse(read_file(dir / "config.json"));
  EXPECT_EQ(config["optimizer"], "momentum");
  EXPECT_EQ(config["momentum"], 0.8);
  EXPECT_EQ(config["schedule"], "step");
  EXPECT_FALSE(config.contains("beta1"));
  const auto history = nlohmann::json::parse(read_file(dir / "history.json"));
  const auto& lr = history["lr"];
  ASSERT_EQ(lr.size(), 90u);  // 600 samples / batch 20, 3 epochs
  EXPECT_FLOAT_EQ(lr[0].get<float>(), 0.05f);
  EXPECT_FLOAT_EQ(lr[19].get<float>(), 0.05f);
  EXPECT_FLOAT_EQ(lr[20].get<float>(), 0.025f);
  EXPECT_FLOAT_EQ(lr[89].get<float>(), 0.05f * 0.0625f);
}

TEST_F(CliTest, MinimizeWritesATraceFromStartToEnd) {
  const fs::path trace = work_.path() / "trace.csv";
  const Outcome o =
      run("minimize --function rosenbrock --optimizer sgd --lr 1e-3 --steps 50 "
          "--trace " +
          trace.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("distance to the minimizer"), std::string::npos);
  const std::string text = read_file(trace);
  EXPECT_EQ(text.substr(0, text.find('\n')), "step,f,x0,x1");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 52);  // header, steps 0..50
  // Row 0 is the start, f(-1.2, 1) = 24.2 (to rounding: builds may fuse multiply-adds).
  const std::string row0 =
      text.substr(text.find('\n') + 1, text.find('\n', text.find('\n') + 1) - text.find('\n') - 1);
  EXPECT_EQ(row0.substr(0, 2), "0,");
  EXPECT_NEAR(std::stod(row0.substr(2)), 24.2, 1e-12);
  EXPECT_EQ(row0.substr(row0.size() - 7), ",-1.2,1");
  EXPECT_NE(text.find("\n50,"), std::string::npos);
}

TEST_F(CliTest, MinimizeRejectsBadInputAndReportsDivergence) {
  expect_one_line_error(run("minimize --function nowhere"), "nowhere");
  expect_one_line_error(run("minimize --function beale --start=1,2,3"), "start");
  expect_one_line_error(run("minimize --function booth --dim 3"), "dim");
  expect_one_line_error(run("minimize --start=nan,1"), "start");
  const Outcome diverged = run("minimize --optimizer sgd --lr 1 --steps 100");
  EXPECT_EQ(diverged.exit_code, 3);
  EXPECT_NE(diverged.err.find("diverged"), std::string::npos);
}

// A run killed with SIGKILL mid-way resumes from its last checkpoint and ends
// with the same numbers as a run never stopped.
TEST_F(CliTest, KilledRunResumesToTheSameNumbers) {
  const std::string settings = " --data-dir " + data_.path().string() +
                               " --validation-size 100 --hidden 64,64 --epochs 40 --batch-size 10"
                               " --lr 0.02 --dropout 0.1 --batchnorm --checkpoint-every 5 --quiet";
  const fs::path whole = work_.path() / "whole";
  ASSERT_EQ(run("train" + settings + " --out " + whole.string()).exit_code, 0);

  const fs::path killed = work_.path() / "killed";
  const pid_t pid = testing::start_descent("train" + settings + " --out " + killed.string());
  ASSERT_GT(pid, 0);
  const int status = testing::signal_when_exists(pid, killed / "checkpoint.bin", SIGKILL,
                                                 std::chrono::milliseconds(50));
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";
  ASSERT_FALSE(fs::exists(killed / "metrics.json"));

  expect_one_line_error(run("train --resume " + killed.string() + " --lr 0.1"), "--lr");
  const Outcome resumed = run("train --resume " + killed.string() + " --quiet");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_file(whole / "loss.csv"), read_file(killed / "loss.csv"));
  auto a = nlohmann::json::parse(read_file(whole / "metrics.json"));
  auto b = nlohmann::json::parse(read_file(killed / "metrics.json"));
  a.erase("seconds");
  b.erase("seconds");
  EXPECT_EQ(a, b);
  EXPECT_EQ(read_file(whole / "model.bin"), read_file(killed / "model.bin"));
}

TEST_F(CliTest, InterruptWritesACheckpointAndSaysHowToResume) {
  const fs::path dir = work_.path() / "run";
  const pid_t pid =
      testing::start_descent("train --data-dir " + data_.path().string() +
                                 " --validation-size 100 --hidden 64,64 --epochs 200 --batch-size 5"
                                 " --checkpoint-every 5 --out " +
                                 dir.string(),
                             work_.path() / "err.txt");
  ASSERT_GT(pid, 0);
  const int status = testing::signal_when_exists(pid, dir / "checkpoint.bin", SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string err = read_file(work_.path() / "err.txt");
  EXPECT_NE(err.find("--resume " + dir.string()), std::string::npos) << err;
}

}  // namespace
}  // namespace descent

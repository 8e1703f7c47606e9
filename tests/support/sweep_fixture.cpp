#include "support/sweep_fixture.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

namespace descent::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t iterations_per_epoch = 300;
constexpr std::size_t epochs = 5;

struct RunPlan {
  std::string name;
  std::string optimizer;
  double lr;
  std::string schedule;
  json hyperparameters;
  std::string status;  // finished, diverged, pending
  double val_acc;      // final; finished runs only
};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_json(const fs::path& path, const json& value) { write_text(path, value.dump(2) + "\n"); }

// A loss that falls from 2.3 towards 2.3 (1 - acc) with some noise, or for a
// diverged run grows until it is NaN at its last iteration.
std::vector<double> loss_curve(const RunPlan& run, std::size_t iterations) {
  std::vector<double> loss(iterations);
  for (std::size_t i = 0; i < iterations; ++i) {
    const double t = static_cast<double>(i);
    if (run.status == "diverged") {
      loss[i] = 2.3 * std::exp(t / 60.0);
    } else {
      const double floor = 2.3 * (1 - run.val_acc);
      loss[i] = floor + (2.3 - floor) * std::exp(-t / 300.0) + 0.15 * std::sin(t * 0.7);
    }
  }
  if (run.status == "diverged") loss.back() = std::numeric_limits<double>::quiet_NaN();
  return loss;
}

json history_of(const RunPlan& run) {
  const std::size_t done = run.status == "diverged" ? 1 : epochs;
  const std::size_t iterations = run.status == "diverged" ? 450 : fabricated_iterations;
  const std::vector<double> loss = loss_curve(run, iterations);
  json records = json::array();
  for (std::size_t e = 1; e <= done; ++e) {
    const double approach = 1 - std::exp(-static_cast<double>(e));
    const double val = run.status == "diverged" ? 0.1
                                                : run.val_acc * (0.6 + 0.4 * approach) /
                                                      (0.6 + 0.4 * (1 - std::exp(-5.0)));
    records.push_back({{"epoch", e},
                       {"iteration", e * iterations_per_epoch},
                       {"lr", run.lr},
                       {"train_loss", loss[e * iterations_per_epoch - 1]},
                       {"train_acc", std::min(1.0, val + 0.05)},
                       {"val_loss", 2.3 * (1 - val)},
                       {"val_acc", val},
                       {"seconds", 2.0 * static_cast<double>(e)}});
  }
  return {{"loss", loss}, {"lr", std::vector<double>(iterations, run.lr)}, {"epochs", records}};
}

json metrics_of(const RunPlan& run, const json& history) {
  const json& last = history["epochs"].back();
  const bool finished = run.status == "finished";
  return {{"status", run.status},
          {"message", finished ? "" : "the loss is NaN at iteration 450"},
          {"iterations", history["loss"].size()},
          {"epochs", history["epochs"].size()},
          {"best_epoch", finished ? epochs : 1},
          {"best_val_acc", last["val_acc"]},
          {"final_train_acc", last["train_acc"]},
          {"final_val_acc", last["val_acc"]},
          {"test_acc", finished ? run.val_acc - 0.01 : 0.0},
          {"test_loss", finished ? 0.5 : 0.0},
          {"final_loss", history["loss"].back()},
          {"seconds", last["seconds"]}};
}

json summary_row(const RunPlan& run, const json& metrics) {
  const bool pending = run.status == "pending";
  return {{"run", run.name},
          {"optimizer", run.optimizer},
          {"lr", run.lr},
          {"schedule", run.schedule},
          {"seed", 0},
          {"hyperparameters", run.hyperparameters},
          {"status", run.status},
          {"train_acc", pending ? json(0.0) : metrics["final_train_acc"]},
          {"val_acc", pending ? json(0.0) : metrics["final_val_acc"]},
          {"test_acc", pending ? json(0.0) : metrics["test_acc"]},
          {"best_epoch", pending ? json(0) : metrics["best_epoch"]},
          {"final_loss", pending ? json(0.0) : metrics["final_loss"]},
          {"seconds", pending ? json(0.0) : metrics["seconds"]}};
}

json lr_find_file() {
  std::vector<double> lr, loss, smoothed;
  double average = 0;
  for (std::size_t i = 0; i < 200; ++i) {
    const double exponent = -7.0 + 8.0 * static_cast<double>(i) / 199.0;
    lr.push_back(std::pow(10.0, exponent));
    const double distance = exponent + 2.5;  // lowest near 3e-3
    loss.push_back(2.3 - 1.5 * std::exp(-distance * distance / 2) + 0.05 * std::sin(3.0 * i) +
                   (exponent > -0.5 ? 4 * (exponent + 0.5) : 0));
    average = 0.98 * average + 0.02 * loss.back();
    smoothed.push_back(average / (1 - std::pow(0.98, static_cast<double>(i + 1))));
  }
  return {{"optimizer", "adam"},    {"start_lr", 1e-7},
          {"end_lr", 10},           {"lr", lr},
          {"loss", loss},           {"smoothed", smoothed},
          {"suggested_lr", 1.2e-3}, {"min_loss_lr", 3e-3}};
}

json paths_file() {
  json paths = json::array();
  for (const auto& [optimizer, lr, shift] :
       {std::tuple{"sgd", 1e-3, 0.0}, std::tuple{"adam", 1e-2, 0.3}}) {
    std::vector<double> x, y, f;
    for (std::size_t i = 0; i <= 50; ++i) {
      const double t = static_cast<double>(i) / 50.0;
      x.push_back(-1.5 + 2.5 * t);
      y.push_back(2.0 - 1.0 * t + shift * t * (1 - t));
      f.push_back(std::pow(1 - x.back(), 2) + 100 * std::pow(y.back() - x.back() * x.back(), 2));
    }
    paths.push_back({{"optimizer", optimizer},
                     {"lr", lr},
                     {"steps", 50},
                     {"x", x},
                     {"y", y},
                     {"f", f},
                     {"diverged", false}});
  }
  return {{"function", "rosenbrock"},
          {"x_min", -2},
          {"x_max", 2},
          {"y_min", -1},
          {"y_max", 3},
          {"paths", paths}};
}

}  // namespace

void write_fabricated_sweep(const fs::path& dir, const std::string& name,
                            const std::string& title) {
  using R = FabricatedRuns;
  const json none = json::object();
  const std::vector<RunPlan> runs = {
      {R::sgd, "sgd", 1e-2, "constant", none, "finished", 0.80},
      {R::momentum, "momentum", 1e-2, "constant", {{"momentum", 0.9}}, "finished", 0.85},
      {R::sgd_low, "sgd", 1e-3, "constant", none, "finished", 0.60},
      {R::sgd_high, "sgd", 1e-1, "constant", none, "finished", 0.70},
      {R::adam, "adam", 1e-3, "constant", none, "finished", 0.88},
      {R::adam_high, "adam", 1e-2, "constant", none, "finished", 0.83},
      {R::adam_diverged, "adam", 1e-1, "constant", none, "diverged", 0},
      {R::adam_pending, "adam", 1e-4, "constant", none, "pending", 0},
      {R::sgd_step, "sgd", 1e-2, "step", none, "finished", 0.82},
      {R::adam_step, "adam", 1e-3, "step", none, "finished", 0.89},
  };
  fs::create_directories(dir / "runs");
  json summary = json::array();
  std::string csv = "run,optimizer,lr,schedule,seed,hyperparameters,status\n";
  for (const RunPlan& run : runs) {
    json metrics;
    if (run.status != "pending") {
      const fs::path run_dir = dir / "runs" / run.name;
      fs::create_directories(run_dir);
      const json history = history_of(run);
      metrics = metrics_of(run, history);
      write_text(run_dir / "history.json", history.dump() + "\n");
      write_json(run_dir / "metrics.json", metrics);
    }
    summary.push_back(summary_row(run, metrics));
    csv += run.name + "," + run.optimizer + "," + json(run.lr).dump() + "," + run.schedule +
           ",0,," + run.status + "\n";
  }
  write_json(dir / "summary.json", summary);
  write_text(dir / "summary.csv", csv);

  const json groups =
      json::array({{{"name", "sgd-vs-momentum"},
                    {"title", title + ": SGD against SGD with momentum"},
                    {"kind", "curves"},
                    {"runs", json::array({R::sgd, R::momentum})}},
                   {{"name", "lr-sweep"},
                    {"title", "Learning-rate sweep"},
                    {"kind", "lr-sweep"},
                    {"runs", json::array({R::sgd_low, R::sgd, R::sgd_high, R::adam_pending, R::adam,
                                          R::adam_high, R::adam_diverged})}},
                   {{"name", "decay"},
                    {"title", "Decay of the best learning rate"},
                    {"kind", "decay"},
                    {"runs", json::array({R::sgd, R::sgd_step, R::adam, R::adam_step})}}});
  write_json(dir / "experiment.json", {{"name", name}, {"title", title}, {"groups", groups}});

  fs::create_directories(dir / "lr-find");
  write_json(dir / "lr-find" / "adam.json", lr_find_file());
  fs::create_directories(dir / "paths");
  write_json(dir / "paths" / "rosenbrock.json", paths_file());
}

}  // namespace descent::testing

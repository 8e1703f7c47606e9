// SFO against full-batch L-BFGS, online L-BFGS and Adam on Fashion-MNIST, in
// passes through the training data: the training loss on the whole training
// set (the objective every method minimizes, with its L2 term) every half
// pass, for softmax regression (--hidden 0) or the notes' network (5 hidden
// layers of 100). Each method trains as `descent train` would, with its
// defaults: sfo on a fixed partition into 25 minibatches (the authors'
// guidance for n = 55,000), lbfgs on the whole training set, olbfgs (lr 0.1)
// and Adam on minibatches of 100; Adam at each rate of --adam-lrs, the best
// at the last pass kept. Not a timing: the figures are objective values.
//
//   build/bench/optim/sfo_fashion_mnist --hidden 0 --passes 20 --out DIR
//
// writes DIR/sfo-<net>.csv (method,passes,train_loss) and DIR/sfo-<net>.png.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "descent/core/atomic_file.hpp"
#include "descent/core/text.hpp"
#include "descent/data/sources.hpp"
#include "descent/experiment/figure.hpp"
#include "descent/report/plot_file.hpp"
#include "descent/train/trainer.hpp"

namespace {

namespace fs = std::filesystem;
using namespace descent;

struct Curve {
  std::string label;
  std::string optimizer;
  std::vector<double> passes;
  std::vector<double> loss;
};

// The run of `config` to `passes` passes, the whole training loss read at
// every half pass (and at the start).
Curve train_curve(TrainConfig config, const DataSplits& data, double passes,
                  const std::string& label) {
  Curve curve{label, config.optimizer, {}, {}};
  Trainer trainer(config, data);
  const auto record = [&](double at) {
    curve.passes.push_back(at);
    curve.loss.push_back(trainer.network().evaluate(data.train.features, data.train.labels).loss);
  };
  record(0);
  double next = 0.5;
  trainer.on_iteration = [&](const Progress&) {
    const double done = trainer.history().passes.back();
    if (done >= next) {
      record(done);
      while (next <= done) next += 0.5;
    }
    return done >= passes;
  };
  trainer.run();
  std::cerr << label << ": " << shortest(curve.loss.back()) << " after "
            << shortest(curve.passes.back()) << " passes\n";
  return curve;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("SFO, L-BFGS, online L-BFGS and Adam on Fashion-MNIST in passes");
  std::size_t hidden_layers = 0;
  double passes = 20;
  std::vector<double> adam_lrs = {1e-4, 3e-4, 1e-3, 3e-3};
  std::string out = ".";
  app.add_option("--hidden-layers", hidden_layers, "0: softmax regression; 5: the notes' network");
  app.add_option("--passes", passes, "Passes through the training data");
  app.add_option("--adam-lrs", adam_lrs, "Adam's rates; the best at the end is kept")
      ->delimiter(',');
  app.add_option("--out", out, "Folder of the CSV and the figure");
  CLI11_PARSE(app, argc, argv);

  TrainConfig base;
  base.network.hidden = std::vector<std::size_t>(hidden_layers, 100);
  base.network.reg = 1e-4f;
  base.threads = 1;
  base.epochs = static_cast<std::size_t>(passes) + 1;  // the curve stops at `passes`
  const DataSplits data = load_splits(base.data);
  fit_network_to_data(base, data);

  std::vector<Curve> curves;
  TrainConfig sfo = base;
  sfo.optimizer = "sfo";
  sfo.learning_rate = 1;
  curves.push_back(train_curve(sfo, data, passes, "sfo"));
  TrainConfig lbfgs = base;
  lbfgs.optimizer = "lbfgs";
  lbfgs.learning_rate = 1;
  lbfgs.batch_size = 0;
  curves.push_back(train_curve(lbfgs, data, passes, "lbfgs"));
  TrainConfig olbfgs = base;
  olbfgs.optimizer = "olbfgs";
  olbfgs.learning_rate = 0.1;
  curves.push_back(train_curve(olbfgs, data, passes, "olbfgs lr 0.1"));
  Curve best_adam;
  double best = std::numeric_limits<double>::infinity();
  for (double lr : adam_lrs) {
    TrainConfig adam = base;
    adam.optimizer = "adam";
    adam.learning_rate = lr;
    Curve curve = train_curve(adam, data, passes, "adam lr " + shortest(lr));
    if (curve.loss.back() < best) {
      best = curve.loss.back();
      best_adam = std::move(curve);
    }
  }
  curves.push_back(std::move(best_adam));

  const std::string net = hidden_layers == 0 ? "softmax" : "notes";
  std::string csv = "method,passes,train_loss\n";
  Figure figure;
  figure.id = "sfo-" + net;
  figure.title = "Fashion-MNIST, " +
                 std::string(hidden_layers == 0 ? "softmax regression" : "the notes' network") +
                 ": training loss";
  figure.x_label = "passes through the training data";
  figure.y_label = "loss on the whole training set";
  for (const Curve& curve : curves) {
    for (std::size_t i = 0; i < curve.passes.size(); ++i) {
      csv += curve.label + "," + shortest(curve.passes[i]) + "," + shortest(curve.loss[i]) + "\n";
    }
    Series series;
    series.label = curve.label;
    series.x = curve.passes;
    series.y = curve.loss;
    series.color = optimizer_color(curve.optimizer);
    figure.series.push_back(std::move(series));
  }
  fs::create_directories(out);
  write_file_atomic(fs::path(out) / ("sfo-" + net + ".csv"), csv);
  save_figure(figure, fs::path(out) / ("sfo-" + net + ".png"));
  return 0;
}

// The default experiment of `descent compare`: the comparisons of the cs231n
// notes ("Neural Networks Part 3", parameter updates), on Fashion-MNIST.
#include <cstddef>
#include <string>
#include <vector>

#include "descent/experiment/experiment.hpp"

namespace descent {

namespace {

// The six optimizers of the notes, in their order.
const std::vector<std::string> kNotesOptimizers = {"sgd",     "momentum", "nesterov",
                                                   "adagrad", "rmsprop",  "adam"};

std::vector<OptimizerChoice> choices(const std::vector<std::string>& names) {
  std::vector<OptimizerChoice> all;
  for (const auto& name : names) all.push_back({name, {}, {}});
  return all;
}

// n with its thousands grouped: 10000 -> "10,000".
std::string grouped(std::size_t n) {
  std::string digits = std::to_string(n);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

}  // namespace

Experiment notes_experiment(bool quick, std::size_t quick_train_size) {
  Experiment e;
  e.name = quick ? "notes-quick" : "notes";
  e.title = "The notes' comparisons on Fashion-MNIST";
  if (quick) {
    e.title += quick_train_size == 0
                   ? " (quick: every training sample)"
                   : " (quick: " + grouped(quick_train_size) + " training samples)";
  }
  e.base.network.hidden = {100, 100, 100, 100, 100};
  e.base.network.init = Init::He;
  e.base.epochs = 5;
  e.base.batch_size = 100;
  e.base.diverge_factor = 3;
  if (quick) e.base.data.train_size = quick_train_size;

  GroupSpec figure1;
  figure1.name = "sgd-vs-momentum";
  figure1.title = "SGD against SGD with momentum, lr 5e-3";
  figure1.optimizers = choices({"sgd", "momentum"});
  figure1.learning_rates = {5e-3};

  // Each optimizer's rate from the notes (sgd, momentum, rmsprop, adam); Nesterov
  // takes momentum's and AdaGrad its usual 1e-2.
  GroupSpec tuned;
  tuned.name = "tuned";
  tuned.title = "Each optimizer at its tuned learning rate";
  tuned.optimizers = choices(kNotesOptimizers);
  for (auto& choice : tuned.optimizers) {
    choice.learning_rates = {choice.name == "adagrad"   ? 1e-2
                             : choice.name == "rmsprop" ? 1e-4
                             : choice.name == "adam"    ? 1e-3
                                                        : 5e-3};
  }

  GroupSpec same_lr;
  same_lr.name = "same-lr";
  same_lr.title = "Every optimizer at lr 1e-3";
  same_lr.optimizers = choices(kNotesOptimizers);
  same_lr.learning_rates = {1e-3};

  GroupSpec sweep;
  sweep.name = "lr-sweep";
  sweep.title = "Learning-rate sweep";
  sweep.kind = GroupKind::lr_sweep;
  sweep.optimizers = choices(kNotesOptimizers);
  sweep.learning_rates = quick ? std::vector<double>{1e-4, 1e-3, 1e-2}
                               : std::vector<double>{1e-4, 5e-4, 1e-3, 5e-3, 1e-2};
  double sweep_rmsprop_top = 0;
  for (auto& choice : sweep.optimizers) {
    if (choice.name == "rmsprop") {
      choice.learning_rates = quick ? std::vector<double>{1e-5, 1e-4, 1e-3}
                                    : std::vector<double>{1e-5, 5e-5, 1e-4, 5e-4};
      sweep_rmsprop_top = choice.learning_rates.back();
    }
  }

  GroupSpec decay;
  decay.name = "decay";
  decay.title = "The best learning rate of each optimizer, with and without decay";
  decay.kind = GroupKind::decay;
  decay.optimizers = choices(kNotesOptimizers);
  decay.best_lr_from = "lr-sweep";
  for (const char* name : {"constant", "step", "exponential", "inverse-time"}) {
    decay.schedules.push_back(named_schedule(name, e.base.epochs));
  }

  // The notes' warning, shown: ten times the top of each sweep. AdaGrad,
  // RMSProp and Adam blow up within a few steps and are stopped as diverged;
  // the SGD family at 1e-1 still trains (on Fashion-MNIST, better than
  // anywhere in the sweep: the notes' range is low for it).
  GroupSpec too_large;
  too_large.name = "too-large";
  too_large.title = "Learning rates ten times the top of the sweep";
  too_large.optimizers = choices(kNotesOptimizers);
  for (auto& choice : too_large.optimizers) {
    const double top = choice.name == "rmsprop" ? sweep_rmsprop_top : sweep.learning_rates.back();
    choice.learning_rates = {10 * top};
  }

  e.groups = {figure1, tuned, same_lr, sweep, decay, too_large};
  return e;
}

}  // namespace descent

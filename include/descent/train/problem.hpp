// Named test problems: each fixes the data (data set, image shape, split and
// normalization), the network and its initialization, the loss (softmax
// cross-entropy plus L2 where the source has it, or the noisy quadratic's), the batch size and the
// epoch budget, as its source defines them, so that optimizers are compared
// where others have measured them. The table:
//
//   fmnist-notes   the cs231n notes' comparison network, descent compare's default
//   fmnist-2c2d    DeepOBS's conv net on Fashion-MNIST
//   fmnist-mlp     DeepOBS's 1000-500-100 MLP on Fashion-MNIST
//   fmnist-logreg  DeepOBS's softmax regression on Fashion-MNIST
//   mnist-2c2d, mnist-mlp, mnist-logreg   the same on MNIST
//   cifar10-3c3d   DeepOBS's conv net on CIFAR-10
//   quadratic-deep DeepOBS's noisy quadratic with a deep network's spectrum
//
// DeepOBS: Schneider, Balles and Hennig, "DeepOBS: A Deep Learning Optimizer
// Benchmark Suite", ICLR 2019, and its code (github.com/fsschneider/DeepOBS),
// whose files each problem names. Where descent departs from the source it
// says so in `differences`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "descent/data/sources.hpp"
#include "descent/nn/network.hpp"
#include "descent/train/config.hpp"

namespace descent {

struct Problem {
  std::string name;         // "fmnist-2c2d"
  std::string title;        // one line for listings
  std::string source;       // where the definition comes from, file by file
  std::string differences;  // where descent departs from the source; empty if nowhere
  // The data files and where to get them, for the error when they are missing.
  std::string data_files;
  DataOptions data;
  NetworkConfig network;  // input_dim, input_shape and num_classes set
  std::size_t batch_size = 0;
  bool drop_last = false;  // each epoch leaves out its last, smaller batch
  std::size_t epochs = 0;
  // descent compare's time-to-target on it when --target is not given; empty:
  // compare's own default (val_acc=0.88).
  std::string target;
};

// Every problem, in the order above.
const std::vector<Problem>& problems();
// The problems' names, in the order above.
std::vector<std::string> problem_names();
// The problem of that name; ConfigError listing the names otherwise.
const Problem& find_problem(const std::string& name);

// A training config of the problem: its data, network, batch size and epochs,
// the other fields at TrainConfig's defaults.
TrainConfig train_config(const Problem& problem);

// The problem's data from `data_dir` (empty: the data set's default folder).
// IoError naming the files and the Debian package or download they come from
// when they are missing; ShapeError when the files' samples are not the
// network's input (an MNIST folder given to a CIFAR-10 problem, say).
DataSplits load_problem_data(const Problem& problem, const std::filesystem::path& data_dir = {});

}  // namespace descent

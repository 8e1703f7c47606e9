// The table of named test problems, each with its source.
#include "descent/train/problem.hpp"

#include <utility>

#include "descent/core/error.hpp"
#include "descent/nn/quadratic_loss.hpp"

namespace descent {

namespace {

const char* const kFashionMnistFiles =
    "Fashion-MNIST comes in Debian's package dataset-fashion-mnist (apt-get install "
    "dataset-fashion-mnist, into /usr/share/datasets/fashion-mnist); elsewhere, give the folder "
    "of train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
    "t10k-labels-idx1-ubyte (.gz or raw) from github.com/zalandoresearch/fashion-mnist";
const char* const kMnistFiles =
    "MNIST is not packaged in Debian: give the folder of train-images-idx3-ubyte, "
    "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (.gz or raw) "
    "from yann.lecun.com/exdb/mnist (default folder /usr/share/datasets/mnist)";
const char* const kCifar10Files =
    "CIFAR-10 is not packaged in Debian: give the folder of data_batch_1.bin ... "
    "data_batch_5.bin and test_batch.bin, unpacked from the binary version "
    "cifar-10-binary.tar.gz of www.cs.toronto.edu/~kriz/cifar.html (default folder "
    "/usr/share/datasets/cifar10)";

// DeepOBS's training budgets: DEFAULT_TEST_PROBLEMS_SETTINGS in deepobs/config.py
// and deepobs/info.py (fmnist_logreg: the latter only).
const char* const kDeepObsSettings = "batch size and epochs: deepobs/info.py";
// DeepOBS 1.2 holds out train_eval_size = 10,000 training samples for
// validation (deepobs/pytorch/datasets/dataset.py,
// _make_train_and_valid_dataloader_helper); DeepOBS 1.1, whose runs gave the
// paper's baselines, trained on all of them and had no validation set.
constexpr std::size_t kDeepObsValidation = 10000;
const char* const kDeepObsSplit =
    "descent holds out 10,000 training samples for validation, as DeepOBS 1.2 does; DeepOBS 1.1 "
    "(the paper's baselines) trained on all of them";

DataOptions deepobs_data(DatasetKind kind, Normalization normalization) {
  DataOptions data;
  data.kind = kind;
  data.validation_size = kDeepObsValidation;
  data.normalization = normalization;
  return data;
}

NetworkConfig image_network(const ImageShape& shape, std::vector<LayerSpec> layers) {
  NetworkConfig network;
  network.input_shape = shape;
  network.input_dim = shape.size();
  network.num_classes = 10;
  network.layers = std::move(layers);
  return network;
}

Problem notes() {
  Problem p;
  p.name = "fmnist-notes";
  p.title = "The cs231n notes' five-layer network on Fashion-MNIST (descent compare's default)";
  p.source =
      "cs231n, Neural Networks Part 3 (parameter updates), as `descent compare` runs it: "
      "src/experiment/notes_experiment.cpp (784-100x5-10, He init, batch 100, 5 epochs) and "
      "TrainConfig's defaults (include/descent/train/config.hpp)";
  p.data_files = kFashionMnistFiles;
  p.data.kind = DatasetKind::FashionMnist;  // validation 5,000, training mean subtracted
  p.network.input_dim = 784;
  p.network.hidden = {100, 100, 100, 100, 100};
  p.network.init = Init::He;
  p.batch_size = 100;
  p.epochs = 5;
  return p;
}

// One of DeepOBS's problems on MNIST or Fashion-MNIST ("fmnist-2c2d"): the
// network of deepobs/tensorflow/testproblems/_<net>.py on 1x28x28 images of
// pixels / 255, as deepobs/tensorflow/datasets/<data>.py reads them.
struct MnistFamily {
  DatasetKind kind;
  std::string prefix;     // "fmnist", "mnist": DeepOBS's name of the data set
  std::string data_name;  // "Fashion-MNIST"
  std::string files;      // where the data comes from
};

Problem deepobs_mnist(const MnistFamily& data, const std::string& net, const std::string& title,
                      const std::string& what, std::vector<LayerSpec> layers,
                      std::size_t epochs) {
  Problem p;
  p.name = data.prefix + "-" + net;
  p.title = "DeepOBS's " + title + " on " + data.data_name;
  p.source = "DeepOBS: deepobs/tensorflow/testproblems/" + data.prefix + "_" + net + ".py and _" +
             net + ".py (" + what + "), deepobs/tensorflow/datasets/" + data.prefix +
             ".py (pixels / 255, nothing subtracted); " + kDeepObsSettings;
  p.differences = kDeepObsSplit;
  p.data_files = data.files;
  p.data = deepobs_data(data.kind, Normalization::none);
  p.network = image_network({1, 28, 28}, std::move(layers));
  p.batch_size = 128;
  p.epochs = epochs;
  return p;
}

// _2c2d.py: conv 5x5x32 same, relu, maxpool 2x2/2 same, conv 5x5x64 same,
// relu, maxpool 2x2/2 same, dense 1024, relu, dense 10; every kernel
// truncated_normal_initializer(stddev=0.05), every bias constant(0.05).
Problem two_c_two_d(const MnistFamily& data) {
  const auto init = [](LayerSpec layer) {
    return layer.with_init(WeightInit::truncated_normal, 0.05f, 0.05f);
  };
  Problem p = deepobs_mnist(
      data, "2c2d", "2c2d conv net (3,274,634 parameters)", "network, initialization; no L2",
      {init(LayerSpec::conv(32, 5, Padding::same)), LayerSpec::relu(),
       LayerSpec::max_pool(2, 2, Padding::same), init(LayerSpec::conv(64, 5, Padding::same)),
       LayerSpec::relu(), LayerSpec::max_pool(2, 2, Padding::same), LayerSpec::flatten(),
       init(LayerSpec::dense(1024)), LayerSpec::relu(), init(LayerSpec::dense(10))},
      100);
  p.differences += ". TensorFlow flattens NHWC, descent NCHW: dense1's rows are a permutation "
                   "of DeepOBS's, the same network";
  return p;
}

// _mlp.py: dense 1000, 500, 100 with relu, dense 10; kernels
// truncated_normal_initializer(stddev=3e-2), biases 0.
Problem mlp(const MnistFamily& data) {
  const auto dense = [](std::size_t units) {
    return LayerSpec::dense(units).with_init(WeightInit::truncated_normal, 0.0f, 3e-2f);
  };
  return deepobs_mnist(data, "mlp", "1000-500-100 MLP (1,336,610 parameters)",
                       "network, initialization; no L2",
                       {dense(1000), LayerSpec::relu(), dense(500), LayerSpec::relu(), dense(100),
                        LayerSpec::relu(), dense(10)},
                       100);
}

// _logreg.py: dense 10, kernel and bias 0.
Problem logreg(const MnistFamily& data) {
  return deepobs_mnist(data, "logreg", "softmax regression (7,850 parameters)",
                       "weights and biases 0, no L2",
                       {LayerSpec::dense(10).with_init(WeightInit::zeros)}, 50);
}

// deepobs/tensorflow/testproblems/_3c3d.py: conv 5x5x64 valid, relu, maxpool
// 3x3/2 same, conv 3x3x96 valid, relu, maxpool 3x3/2 same, conv 3x3x128 same,
// relu, maxpool 3x3/2 same, dense 512, relu, dense 256, relu, dense 10;
// conv kernels glorot_normal, dense kernels glorot_uniform, biases 0, and
// l2(0.5 * 0.002) on every kernel: descent's 0.5 * reg * sum(W^2) with reg = 0.002.
Problem cifar10_3c3d() {
  const auto conv = [](std::size_t filters, std::size_t kernel, Padding padding) {
    return LayerSpec::conv(filters, kernel, padding).with_init(WeightInit::glorot_normal);
  };
  const auto dense = [](std::size_t units) {
    return LayerSpec::dense(units).with_init(WeightInit::glorot_uniform);
  };
  const LayerSpec pool = LayerSpec::max_pool(3, 2, Padding::same);
  Problem p;
  p.name = "cifar10-3c3d";
  p.title = "DeepOBS's 3c3d conv net on CIFAR-10 (895,210 parameters)";
  p.source =
      "DeepOBS: deepobs/tensorflow/testproblems/cifar10_3c3d.py and _3c3d.py (network, "
      "initialization, L2 0.002), deepobs/tensorflow/datasets/cifar10.py (per-image "
      "standardization); " + std::string(kDeepObsSettings);
  p.differences =
      std::string(kDeepObsSplit) +
      ". No data augmentation: DeepOBS trains on random 32x32 crops of the image padded to "
      "36x36, random left-right flips and random brightness, saturation and contrast, which "
      "descent does not do, so its test accuracy is lower and it overfits sooner. "
      "per_image_standardization of pixels in [0, 1] instead of [0, 255]: the same but for the "
      "floor 1 / sqrt(3072) on the standard deviation, which only nearly uniform images reach";
  p.data_files = kCifar10Files;
  p.data = deepobs_data(DatasetKind::Cifar10, Normalization::per_image);
  p.network = image_network(
      {3, 32, 32},
      {conv(64, 5, Padding::valid), LayerSpec::relu(), pool, conv(96, 3, Padding::valid),
       LayerSpec::relu(), pool, conv(128, 3, Padding::same), LayerSpec::relu(), pool,
       LayerSpec::flatten(), dense(512), LayerSpec::relu(), dense(256), LayerSpec::relu(),
       dense(10)});
  p.network.reg = 0.002f;
  p.batch_size = 128;
  p.epochs = 100;
  return p;
}

// deepobs/pytorch/testproblems/quadratic_deep.py, datasets/quadratic.py:
// theta (100) from 1, loss 0.5 (theta - x)^T Q (theta - x) averaged over the
// batch, Q of a deep network's spectrum (nn/quadratic_loss.hpp); 1,000 samples
// N(0, 0.6^2 I), batches of 128 with the last 104 samples of each shuffled
// epoch left out (drop_last=True); 100 epochs.
Problem quadratic_deep() {
  Problem p;
  p.name = "quadratic-deep";
  p.title = "DeepOBS's noisy quadratic, 100 dimensions, a deep network's eigenvalues";
  p.source =
      "DeepOBS: deepobs/pytorch/testproblems/quadratic_deep.py (Q, theta from 1), "
      "testproblems_modules.py (net_quadratic_deep: the loss), deepobs/pytorch/datasets/"
      "quadratic.py (the data, drop_last=True); " +
      std::string(kDeepObsSettings);
  p.differences =
      "DeepOBS has no validation set for it; descent draws 1,000 samples with "
      "RandomState(44), used only to pick the best epoch. DeepOBS reports its accuracy as 0, "
      "and so does descent";
  p.data_files = "none: the samples are drawn (numpy.random.RandomState 42, 43 and 44)";
  p.data.kind = DatasetKind::NoisyQuadratic;
  p.data.validation_size = 1000;
  p.data.normalization = Normalization::none;
  p.network.input_dim = kQuadraticDim;
  p.network.input_shape = {};
  p.network.layers = {LayerSpec::offset(1.0f)};
  p.network.loss = LossKind::quadratic_deep;
  p.batch_size = 128;
  p.drop_last = true;
  p.epochs = 100;
  // About 2% above the loss at theta = 0, the population minimum
  // (0.5 * 0.6^2 * trace Q = 86.0): SGD at lr 0.01 reaches it in about 30 epochs.
  p.target = "val_loss=88";
  return p;
}

std::vector<Problem> make_problems() {
  const MnistFamily fmnist{DatasetKind::FashionMnist, "fmnist", "Fashion-MNIST",
                           kFashionMnistFiles};
  const MnistFamily mnist{DatasetKind::Mnist, "mnist", "MNIST", kMnistFiles};
  return {notes(),    two_c_two_d(fmnist), mlp(fmnist),    logreg(fmnist),  two_c_two_d(mnist),
          mlp(mnist), logreg(mnist),       cifar10_3c3d(), quadratic_deep()};
}

}  // namespace

const std::vector<Problem>& problems() {
  static const std::vector<Problem> table = make_problems();
  return table;
}

std::vector<std::string> problem_names() {
  std::vector<std::string> names;
  for (const Problem& p : problems()) names.push_back(p.name);
  return names;
}

const Problem& find_problem(const std::string& name) {
  for (const Problem& p : problems()) {
    if (p.name == name) return p;
  }
  std::string names;
  for (const std::string& known : problem_names()) names += (names.empty() ? "" : ", ") + known;
  throw ConfigError("problem: expected one of " + names + "; got '" + name + "'");
}

TrainConfig train_config(const Problem& problem) {
  TrainConfig config;
  config.data = problem.data;
  config.network = problem.network;
  config.batch_size = problem.batch_size;
  config.drop_last = problem.drop_last;
  config.epochs = problem.epochs;
  return config;
}

DataSplits load_problem_data(const Problem& problem, const std::filesystem::path& data_dir) {
  DataOptions options = problem.data;
  options.data_dir = data_dir;
  DataSplits splits;
  try {
    splits = load_splits(options);
  } catch (const IoError& e) {
    throw IoError(problem.name + ": " + e.what() + ". " + problem.data_files);
  }
  const NetworkConfig& network = problem.network;
  if (splits.train.dim() != network.input_dim) {
    const std::string shape =
        network.input_shape.empty() ? "" : " (" + to_string(network.input_shape) + " images)";
    throw ShapeError(problem.name + ": the data's samples have " +
                     std::to_string(splits.train.dim()) + " values, the network takes " +
                     std::to_string(network.input_dim) + shape);
  }
  if (splits.test.num_classes > static_cast<int>(network.num_classes)) {
    throw ShapeError(problem.name + ": the data has " + std::to_string(splits.test.num_classes) +
                     " classes, the network " + std::to_string(network.num_classes));
  }
  return splits;
}

}  // namespace descent

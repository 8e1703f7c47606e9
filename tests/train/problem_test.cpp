// The named test problems against their sources: layer shapes, parameter
// counts (DeepOBS's networks, counted by hand below), initialization, batch
// sizes and budgets; their data on small files in the real formats, the
// errors for missing or mismatched data, and a conv problem through the trainer.
#include "descent/train/problem.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/nn/init.hpp"
#include "descent/nn/quadratic_loss.hpp"
#include "descent/train/model_file.hpp"
#include "descent/train/trainer.hpp"
#include "support/reference_data.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Problems, TheTableInItsOrder) {
  std::vector<std::string> names;
  for (const Problem& p : problems()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"fmnist-notes", "fmnist-2c2d", "fmnist-mlp",
                                             "fmnist-logreg", "mnist-2c2d", "mnist-mlp",
                                             "mnist-logreg", "cifar10-3c3d", "quadratic-deep"}));
  for (const Problem& p : problems()) {
    EXPECT_FALSE(p.source.empty()) << p.name;
    EXPECT_FALSE(p.data_files.empty()) << p.name;
    EXPECT_NO_THROW(p.network.validate()) << p.name;
    EXPECT_NO_THROW(train_config(p).validate()) << p.name;
  }
  EXPECT_EQ(&find_problem("quadratic-deep"), &problems().back());
  EXPECT_EQ(error_message([] { find_problem("fmnist_2c2d"); }),
            "problem: expected one of fmnist-notes, fmnist-2c2d, fmnist-mlp, fmnist-logreg, "
            "mnist-2c2d, mnist-mlp, mnist-logreg, cifar10-3c3d, quadratic-deep; got "
            "'fmnist_2c2d'");
}

// cs231n's five-layer network at descent's defaults.
TEST(Problems, FmnistNotesIsDescentCompareDefault) {
  const Problem& p = find_problem("fmnist-notes");
  const TrainConfig defaults;
  EXPECT_EQ(p.network.hidden, (std::vector<std::size_t>{100, 100, 100, 100, 100}));
  EXPECT_TRUE(p.network.layers.empty());
  EXPECT_EQ(p.network.init, Init::He);
  EXPECT_EQ(p.network.input_dim, 784u);
  EXPECT_EQ(p.batch_size, defaults.batch_size);
  EXPECT_EQ(p.epochs, defaults.epochs);
  EXPECT_EQ(p.data.validation_size, defaults.data.validation_size);
  EXPECT_EQ(p.data.normalization, Normalization::subtract_mean);
  // 784 * 100 + 100 + 4 * (100 * 100 + 100) + 100 * 10 + 10
  EXPECT_EQ(Network(p.network, 0).params().count(), 119910u);
}

struct Expected {
  std::string name;
  std::vector<ImageShape> shapes;
  std::size_t parameters;
  std::size_t batch_size;
  std::size_t epochs;
};

// DeepOBS's networks (deepobs/tensorflow/testproblems/_2c2d.py, _3c3d.py,
// _mlp.py, _logreg.py) and budgets (deepobs/info.py). Parameters by hand:
//   2c2d  conv 5*5*1*32 + 32 = 832, conv 5*5*32*64 + 64 = 51,264,
//         dense 7*7*64*1024 + 1024 = 3,212,288, dense 1024*10 + 10 = 10,250
//   3c3d  conv 5*5*3*64 + 64 = 4,864, 3*3*64*96 + 96 = 55,392,
//         3*3*96*128 + 128 = 110,720, dense 1152*512 + 512 = 590,336,
//         512*256 + 256 = 131,328, 256*10 + 10 = 2,570
//   mlp   784*1000 + 1000 + 1000*500 + 500 + 500*100 + 100 + 100*10 + 10
//   logreg 784*10 + 10
TEST(Problems, DeepObsNetworksHaveTheirSourcesShapesAndSizes) {
  const std::vector<ImageShape> two_c_two_d = {
      {32, 28, 28}, {32, 28, 28}, {32, 14, 14}, {64, 14, 14}, {64, 14, 14},
      {64, 7, 7},   {3136, 1, 1}, {1024, 1, 1}, {1024, 1, 1}, {10, 1, 1}};
  const std::vector<ImageShape> mlp = {{1000, 1, 1}, {1000, 1, 1}, {500, 1, 1}, {500, 1, 1},
                                       {100, 1, 1},  {100, 1, 1},  {10, 1, 1}};
  const std::vector<Expected> cases = {
      {"fmnist-2c2d", two_c_two_d, 832 + 51264 + 3212288 + 10250, 128, 100},
      {"mnist-2c2d", two_c_two_d, 3274634, 128, 100},
      {"fmnist-mlp", mlp, 785000 + 500500 + 50100 + 1010, 128, 100},
      {"mnist-mlp", mlp, 1336610, 128, 100},
      {"fmnist-logreg", {{10, 1, 1}}, 7850, 128, 50},
      {"mnist-logreg", {{10, 1, 1}}, 7850, 128, 50},
      {"cifar10-3c3d",
       {{64, 28, 28},
        {64, 28, 28},
        {64, 14, 14},
        {96, 12, 12},
        {96, 12, 12},
        {96, 6, 6},
        {128, 6, 6},
        {128, 6, 6},
        {128, 3, 3},
        {1152, 1, 1},
        {512, 1, 1},
        {512, 1, 1},
        {256, 1, 1},
        {256, 1, 1},
        {10, 1, 1}},
       4864 + 55392 + 110720 + 590336 + 131328 + 2570,
       128,
       100},
  };
  for (const Expected& e : cases) {
    SCOPED_TRACE(e.name);
    const Problem& p = find_problem(e.name);
    EXPECT_EQ(layer_shapes(p.network.input_shape, p.network.layers), e.shapes);
    EXPECT_EQ(Network(p.network, 0).params().count(), e.parameters);
    EXPECT_EQ(p.batch_size, e.batch_size);
    EXPECT_EQ(p.epochs, e.epochs);
    EXPECT_EQ(p.data.validation_size, 10000u);
    EXPECT_NE(p.source.find("deepobs/tensorflow/testproblems/"), std::string::npos);
  }
  EXPECT_EQ(find_problem("fmnist-2c2d").data.kind, DatasetKind::FashionMnist);
  EXPECT_EQ(find_problem("mnist-mlp").data.kind, DatasetKind::Mnist);
  EXPECT_EQ(find_problem("fmnist-2c2d").data.normalization, Normalization::none);
  EXPECT_EQ(find_problem("cifar10-3c3d").data.normalization, Normalization::per_image);
  EXPECT_EQ(find_problem("cifar10-3c3d").network.reg, 0.002f);
  EXPECT_EQ(find_problem("fmnist-2c2d").network.reg, 0.0f);
  EXPECT_NE(find_problem("cifar10-3c3d").differences.find("augmentation"), std::string::npos);
}

double stddev_of(const ConstMatrixMap& m) {
  const Eigen::ArrayXd v = Eigen::Map<const Eigen::ArrayXf>(m.data(), m.size()).cast<double>();
  return std::sqrt((v - v.mean()).square().mean());
}

const ConstMatrixMap param(const Network& net, const std::string& name) {
  for (std::size_t id = 0; id < net.params().entries().size(); ++id) {
    if (net.params().entries()[id].name == name) return net.params().value(id);
  }
  throw std::runtime_error("no parameter " + name);
}

// 2c2d: every kernel truncated_normal(stddev=0.05), every bias 0.05;
// 3c3d: conv kernels glorot_normal, dense glorot_uniform, biases 0 (with
// TensorFlow's fans: k*k*C_in and k*k*C_out for a conv); mlp: truncated
// normal 3e-2, biases 0; logreg: all 0.
TEST(Problems, DeepObsInitializations) {
  const Network two_c_two_d(find_problem("fmnist-2c2d").network, 1);
  for (const char* name : {"conv1.W", "conv2.W", "W1", "W2"}) {
    const ConstMatrixMap w = param(two_c_two_d, name);
    EXPECT_LE(w.cwiseAbs().maxCoeff(), 0.1f) << name;
  }
  EXPECT_NEAR(stddev_of(param(two_c_two_d, "W1")) / (0.05 * kTruncatedStddev), 1.0, 0.01);
  for (const char* name : {"conv1.b", "conv2.b", "b1", "b2"}) {
    const ConstMatrixMap b = param(two_c_two_d, name);
    EXPECT_EQ(b.minCoeff(), 0.05f) << name;
    EXPECT_EQ(b.maxCoeff(), 0.05f) << name;
  }

  const Network three_c_three_d(find_problem("cifar10-3c3d").network, 1);
  // conv2: fans 3*3*64 and 3*3*96, 55,296 weights; dense1: fans 1152 and 512.
  EXPECT_NEAR(stddev_of(param(three_c_three_d, "conv2.W")) / std::sqrt(2.0 / (576 + 864)), 1.0,
              0.02);
  const double limit = std::sqrt(6.0 / (1152 + 512));
  EXPECT_LE(param(three_c_three_d, "W1").cwiseAbs().maxCoeff(), limit);
  EXPECT_NEAR(stddev_of(param(three_c_three_d, "W1")) / (limit / std::sqrt(3.0)), 1.0, 0.01);
  EXPECT_EQ(param(three_c_three_d, "conv3.b").cwiseAbs().maxCoeff(), 0.0f);

  const Network mlp(find_problem("fmnist-mlp").network, 1);
  EXPECT_NEAR(stddev_of(param(mlp, "W1")) / (3e-2 * kTruncatedStddev), 1.0, 0.01);
  EXPECT_LE(param(mlp, "W2").cwiseAbs().maxCoeff(), 6e-2f);
  EXPECT_EQ(param(mlp, "b3").cwiseAbs().maxCoeff(), 0.0f);

  const Network logreg(find_problem("fmnist-logreg").network, 1);
  for (const float v : logreg.params().values()) ASSERT_EQ(v, 0.0f);
}

TEST(Problems, MissingDataNamesThePackageOrTheFiles) {
  const testing::TempDir empty;
  const std::string fmnist =
      error_message([&] { load_problem_data(find_problem("fmnist-2c2d"), empty.path()); });
  EXPECT_NE(fmnist.find("fmnist-2c2d: fashion-mnist: found neither"), std::string::npos) << fmnist;
  EXPECT_NE(fmnist.find("dataset-fashion-mnist"), std::string::npos) << fmnist;
  const std::string mnist =
      error_message([&] { load_problem_data(find_problem("mnist-mlp"), empty.path()); });
  EXPECT_NE(mnist.find("t10k-labels-idx1-ubyte"), std::string::npos) << mnist;
  EXPECT_NE(mnist.find("not packaged in Debian"), std::string::npos) << mnist;
  const std::string cifar =
      error_message([&] { load_problem_data(find_problem("cifar10-3c3d"), empty.path()); });
  EXPECT_NE(cifar.find("cifar-10-binary.tar.gz"), std::string::npos) << cifar;
  EXPECT_EQ(cifar.find('\n'), std::string::npos) << "one line";
}

// The problem with a validation set that fits a small file.
Problem small(const std::string& name, std::size_t validation) {
  Problem p = find_problem(name);
  p.data.validation_size = validation;
  return p;
}

TEST(Problems, ImagesOfAnotherSizeNameBothShapes) {
  const testing::TempDir dir;
  testing::write_synthetic_idx(dir.path(), 40, 10, 8);
  EXPECT_EQ(error_message([&] { load_problem_data(small("fmnist-2c2d", 10), dir.path()); }),
            "fmnist-2c2d: the data's samples have 64 values, the network takes 784 (1x28x28 "
            "images)");
}

// A CIFAR-10 batch file of `count` records: label, then 3072 pixel bytes.
void write_cifar_batch(const std::filesystem::path& path, std::size_t count, Rng& rng) {
  std::string records;
  for (std::size_t r = 0; r < count; ++r) {
    records += static_cast<char>(rng.below(10));
    for (int k = 0; k < 3072; ++k) records += static_cast<char>(rng.below(256));
  }
  std::ofstream(path, std::ios::binary).write(records.data(),
                                              static_cast<std::streamsize>(records.size()));
}

// cifar10-3c3d on synthetic batch files: per-image standardization, then one
// epoch of the real network through the trainer.
TEST(Problems, Cifar10ThreeCThreeDTrainsOnSmallFiles) {
  const testing::TempDir dir;
  Rng rng(3);
  for (int batch = 1; batch <= 5; ++batch) {
    write_cifar_batch(dir.path() / ("data_batch_" + std::to_string(batch) + ".bin"), 6, rng);
  }
  write_cifar_batch(dir.path() / "test_batch.bin", 5, rng);
  const Problem p = small("cifar10-3c3d", 10);
  const DataSplits data = load_problem_data(p, dir.path());
  ASSERT_EQ(data.train.size(), 20u);
  for (Eigen::Index row = 0; row < data.train.features.rows(); ++row) {
    const Eigen::ArrayXd v = data.train.features.row(row).cast<double>().transpose().array();
    EXPECT_NEAR(v.mean(), 0.0, 1e-5);
    EXPECT_NEAR(std::sqrt((v - v.mean()).square().mean()), 1.0, 1e-4);
  }
  TrainConfig config = train_config(p);
  config.data.data_dir = dir.path();
  config.epochs = 1;
  config.batch_size = 8;
  config.learning_rate = 1e-2;
  config.train_eval_samples = 10;
  Trainer trainer(config, data);
  const TrainResult result = trainer.run();
  EXPECT_EQ(result.status, RunStatus::Finished);
  EXPECT_EQ(result.iterations, 3u);
  EXPECT_TRUE(std::isfinite(result.test_loss));
}

// fmnist-2c2d's data is pixels / 255 with nothing subtracted; a few steps of
// the real network through the trainer lower the training loss.
TEST(Problems, FmnistTwoCTwoDTrainsOnSmallFiles) {
  const testing::TempDir dir;
  testing::write_synthetic_idx(dir.path(), 90, 20, 28);
  const Problem p = small("fmnist-2c2d", 10);
  const DataSplits data = load_problem_data(p, dir.path());
  EXPECT_GE(data.train.features.minCoeff(), 0.0f);
  EXPECT_LE(data.train.features.maxCoeff(), 1.0f);
  TrainConfig config = train_config(p);
  config.data.data_dir = dir.path();
  config.epochs = 2;
  config.batch_size = 16;
  config.learning_rate = 0.05;
  config.train_eval_samples = 40;
  Trainer trainer(config, data);
  const TrainResult result = trainer.run();
  ASSERT_EQ(result.status, RunStatus::Finished);
  const std::vector<float>& loss = trainer.history().loss;
  ASSERT_EQ(loss.size(), 10u);
  EXPECT_LT(loss.back(), loss.front());
}

// config.json and model files carry a conv net's layers and input shape, so
// that a checkpoint knows its network and a saved model loads back whole.
TEST(Problems, ConfigAndModelFilesCarryTheLayers) {
  const Problem& p = find_problem("cifar10-3c3d");
  const nlohmann::json json = to_json(train_config(p));
  EXPECT_EQ(json.at("layers").size(), p.network.layers.size());
  EXPECT_EQ(json.at("layers")[0], "conv 64 5x5 init=glorot-normal bias=0");
  EXPECT_EQ(json.at("layers")[2], "maxpool 3x3 stride=2 pad=same");
  EXPECT_EQ(json.at("input-shape"), nlohmann::json::array({3, 32, 32}));
  EXPECT_EQ(json.at("normalization"), "per-image");
  const nlohmann::json notes = to_json(train_config(find_problem("fmnist-notes")));
  EXPECT_FALSE(notes.contains("layers"));
  EXPECT_FALSE(notes.contains("normalization"));

  const testing::TempDir dir;
  Network net(p.network, 4);
  save_model(dir.path() / "model.bin", net);
  const Network loaded = load_model(dir.path() / "model.bin");
  EXPECT_EQ(loaded.config().layers, p.network.layers);
  EXPECT_EQ(loaded.config().input_shape, p.network.input_shape);
  ASSERT_EQ(loaded.params().size(), net.params().size());
  EXPECT_TRUE(std::equal(net.params().values().begin(), net.params().values().end(),
                         loaded.params().values().begin()));
}

// quadratic-deep as DeepOBS defines it: theta of 100 values from 1, the
// quadratic loss, batches of 128 with the last partial one dropped (7 steps
// an epoch of 1,000 samples), 100 epochs, drawn data and no files.
TEST(Problems, QuadraticDeepIsDeepObsDefinition) {
  const Problem& p = find_problem("quadratic-deep");
  EXPECT_EQ(p.network.layers, std::vector<LayerSpec>{LayerSpec::offset(1.0f)});
  EXPECT_EQ(p.network.loss, LossKind::quadratic_deep);
  EXPECT_EQ(p.network.input_dim, kQuadraticDim);
  EXPECT_EQ(p.batch_size, 128u);
  EXPECT_TRUE(p.drop_last);
  EXPECT_EQ(p.epochs, 100u);
  EXPECT_EQ(p.data.kind, DatasetKind::NoisyQuadratic);
  const Network net(p.network, 0);
  EXPECT_EQ(net.params().count(), 100u);

  const nlohmann::json json = to_json(train_config(p));
  EXPECT_EQ(json.at("layers"), nlohmann::json::array({"offset start=1"}));
  EXPECT_EQ(json.at("loss"), "quadratic-deep");
  EXPECT_EQ(json.at("drop-last"), true);
  const TrainConfig back = train_config_from_json(json);
  EXPECT_EQ(back.network.loss, LossKind::quadratic_deep);
  EXPECT_TRUE(back.drop_last);

  TrainConfig config = train_config(p);
  config.epochs = 1;
  const DataSplits data = load_problem_data(p);
  EXPECT_EQ(Trainer(config, data).run().iterations, 7u);
  config.drop_last = false;
  EXPECT_EQ(Trainer(config, data).run().iterations, 8u);
}

// Three full-batch SGD steps (lr 0.01) through descent's trainer against
// PyTorch's on the same Q, data and start (make_quadratic_reference.py):
// the losses, theta and the test loss within float rounding. The loss falls
// every epoch while the accuracy stays 0, so the best epoch, picked by the
// validation loss, is the last.
TEST(Problems, QuadraticDeepSgdMatchesPyTorch) {
  const nlohmann::json ref = testing::quadratic_reference().at("sgd");
  const Problem& p = find_problem("quadratic-deep");
  TrainConfig config = train_config(p);
  config.optimizer = "sgd";
  config.learning_rate = ref.at("lr").get<double>();
  config.batch_size = 1000;
  config.epochs = ref.at("steps").get<std::size_t>();
  const DataSplits data = load_problem_data(p);
  Trainer trainer(config, data);
  const TrainResult result = trainer.run();
  ASSERT_EQ(result.status, RunStatus::Finished);
  const auto losses = ref.at("losses").get<std::vector<double>>();
  ASSERT_EQ(trainer.history().loss.size(), losses.size());
  for (std::size_t i = 0; i < losses.size(); ++i) {
    EXPECT_NEAR(trainer.history().loss[i], losses[i], 1e-5 * losses[i]) << "step " << i + 1;
  }
  const auto theta = ref.at("theta").get<std::vector<double>>();
  const auto values = trainer.network().params().values();
  for (std::size_t j = 0; j < theta.size(); ++j) {
    EXPECT_NEAR(values[j], theta[j], 1e-5) << "theta[" << j << "]";
  }
  EXPECT_NEAR(result.test_loss, ref.at("test_loss").get<double>(), 1e-5 * result.test_loss);
  EXPECT_EQ(result.best_epoch, 3u);
  EXPECT_EQ(result.test_accuracy, 0.0);
}

}  // namespace
}  // namespace descent

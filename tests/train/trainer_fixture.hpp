// The fixture of the trainer's tests: a small network with batch norm and
// dropout on synthetic data, runs stopped and resumed, and the comparison of
// two run folders; and softmax regression on the same data.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "descent/core/atomic_file.hpp"
#include "descent/train/model_file.hpp"
#include "descent/train/trainer.hpp"
#include "support/synthetic_data.hpp"

namespace descent::testing {

namespace fs = std::filesystem;

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const DataOptions options = testing::write_synthetic_data(data_dir_.path(), 460, 120, 60, 3);
    data_ = load_splits(options);
    config_.data = options;
    config_.network.input_dim = data_.train.dim();
    config_.network.num_classes = 10;
    config_.network.hidden = {32, 16};
    config_.network.batchnorm = true;
    config_.network.dropout = 0.2f;
    config_.learning_rate = 0.05;
    config_.epochs = 4;
    config_.batch_size = 32;  // 400 samples: 13 batches, the last one of 16
    config_.seed = 11;
    config_.train_eval_samples = 100;
  }

  // Runs to the end, stopping (and resuming in a new Trainer) after each
  // iteration listed in `stops`.
  TrainResult run_with_stops(const fs::path& dir, std::vector<std::size_t> stops) {
    for (std::size_t stop : stops) {
      Trainer trainer(config_, data_, dir);
      if (fs::exists(dir / "checkpoint.bin")) trainer.resume(dir / "checkpoint.bin");
      trainer.on_iteration = [stop](const Progress& p) { return p.iteration == stop; };
      const TrainResult partial = trainer.run();
      EXPECT_EQ(partial.status, RunStatus::Interrupted);
      EXPECT_EQ(partial.iterations, stop);
    }
    Trainer trainer(config_, data_, dir);
    if (fs::exists(dir / "checkpoint.bin")) trainer.resume(dir / "checkpoint.bin");
    return trainer.run();
  }

  static void expect_same_run(const fs::path& a, const fs::path& b) {
    EXPECT_EQ(read_file(a / "loss.csv"), read_file(b / "loss.csv"));
    const auto ha = nlohmann::json::parse(read_file(a / "history.json"));
    const auto hb = nlohmann::json::parse(read_file(b / "history.json"));
    ASSERT_EQ(ha["epochs"].size(), hb["epochs"].size());
    for (std::size_t e = 0; e < ha["epochs"].size(); ++e) {
      auto ea = ha["epochs"][e], eb = hb["epochs"][e];
      for (const char* key : {"seconds", "train_seconds"}) {
        ea.erase(key);
        eb.erase(key);
      }
      EXPECT_EQ(ea, eb) << "epoch " << e + 1;
    }
    auto ma = nlohmann::json::parse(read_file(a / "metrics.json"));
    auto mb = nlohmann::json::parse(read_file(b / "metrics.json"));
    ma.erase("seconds");
    mb.erase("seconds");
    EXPECT_EQ(ma, mb);
    const Network na = load_model(a / "model.bin");
    const Network nb = load_model(b / "model.bin");
    const auto pa = na.params().values();
    const auto pb = nb.params().values();
    EXPECT_TRUE(std::equal(pa.begin(), pa.end(), pb.begin(), pb.end()));
  }

  testing::TempDir data_dir_;
  testing::TempDir runs_;
  DataSplits data_;
  TrainConfig config_;
};

// The quasi-Newton methods' problem: softmax regression (no hidden layer, no
// dropout or batch norm) with a little L2, on the same data.
class SoftmaxRegressionTest : public TrainerTest {
 protected:
  void SetUp() override {
    TrainerTest::SetUp();
    config_.network.hidden = {};
    config_.network.batchnorm = false;
    config_.network.dropout = 0;
    config_.network.reg = 1e-3f;
  }

  // Training loss of the network a run returns, on the whole training set.
  double train_loss(Trainer& trainer) {
    return trainer.network().evaluate(data_.train.features, data_.train.labels).loss;
  }
};

}  // namespace descent::testing

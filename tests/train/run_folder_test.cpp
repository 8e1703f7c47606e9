// The run folder's files read back as written: metrics.json (one writer, one
// reader) and history.json; errors that name the file and the field.
#include "descent/train/run_folder.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TrainResult full_result() {
  TrainResult r;
  r.status = RunStatus::Diverged;
  r.message = "training diverged at iteration 7: loss is NaN";
  r.iterations = 7;
  r.epochs = 1;
  r.best_epoch = 1;
  r.best_val_accuracy = 0.5;
  r.final_train_accuracy = 0.25;
  r.final_val_accuracy = 0.5;
  r.test_accuracy = 0.125;
  r.test_loss = 2.5;
  r.final_loss = std::nan("");
  r.passes = 0.75;
  r.seconds = 1.5;
  r.final_gradient_norm = 3.25;
  r.averaged_test = Network::Evaluation{0.375, 0.875};
  r.averaged_model = "model_ema.bin";
  r.details = {{"method", "downpour"}, {"staleness_max", 4}};
  return r;
}

TEST(RunFolderTest, MetricsReadBackAsWritten) {
  testing::TempDir dir;
  const RunFolder folder(dir.path());
  EXPECT_FALSE(folder.read_result().has_value());
  folder.write_result(full_result());
  const TrainResult r = *folder.read_result();
  const TrainResult w = full_result();
  EXPECT_EQ(r.status, w.status);
  EXPECT_EQ(r.message, w.message);
  EXPECT_EQ(r.iterations, w.iterations);
  EXPECT_EQ(r.epochs, w.epochs);
  EXPECT_EQ(r.best_epoch, w.best_epoch);
  EXPECT_EQ(r.best_val_accuracy, w.best_val_accuracy);
  EXPECT_EQ(r.final_train_accuracy, w.final_train_accuracy);
  EXPECT_EQ(r.final_val_accuracy, w.final_val_accuracy);
  EXPECT_EQ(r.test_accuracy, w.test_accuracy);
  EXPECT_EQ(r.test_loss, w.test_loss);
  EXPECT_TRUE(std::isnan(r.final_loss));  // NaN is written as null
  EXPECT_EQ(r.passes, w.passes);
  EXPECT_EQ(r.seconds, w.seconds);
  EXPECT_EQ(r.final_gradient_norm, w.final_gradient_norm);
  ASSERT_TRUE(r.averaged_test.has_value());
  EXPECT_EQ(r.averaged_test->loss, 0.375);
  EXPECT_EQ(r.averaged_test->accuracy, 0.875);
  EXPECT_EQ(r.averaged_model, "model_ema.bin");
  EXPECT_EQ(r.details, w.details);
  // The details sit beside the standard keys.
  const auto json = nlohmann::json::parse(read_file(dir.path() / "metrics.json"));
  EXPECT_EQ(json["method"], "downpour");
  EXPECT_EQ(json["status"], "diverged");
  EXPECT_TRUE(json["final_loss"].is_null());
}

TEST(RunFolderTest, AMinimalMetricsFileHasNoNumbers) {
  testing::TempDir dir;
  write_file_atomic(dir.path() / "metrics.json", R"({"status": "finished", "message": ""})");
  const TrainResult r = *RunFolder(dir.path()).read_result();
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_TRUE(std::isnan(r.test_accuracy));
  EXPECT_EQ(r.iterations, 0u);
  EXPECT_FALSE(r.final_gradient_norm.has_value());
  EXPECT_TRUE(r.details.empty());
}

TEST(RunFolderTest, BadMetricsNameTheFileAndField) {
  testing::TempDir dir;
  const fs::path metrics = dir.path() / "metrics.json";
  const RunFolder folder(dir.path());
  write_file_atomic(metrics, R"({"status": "done", "message": ""})");
  std::string message = error_of([&] { folder.read_result(); });
  EXPECT_NE(message.find(metrics.string()), std::string::npos) << message;
  EXPECT_NE(message.find("'status'"), std::string::npos) << message;
  EXPECT_NE(message.find("'done'"), std::string::npos) << message;
  write_file_atomic(metrics, R"({"status": "finished", "message": "", "test_acc": "high"})");
  message = error_of([&] { folder.read_result(); });
  EXPECT_NE(message.find("'test_acc': expected a number or null, found string"), std::string::npos)
      << message;
  write_file_atomic(metrics, R"({"message": ""})");
  message = error_of([&] { folder.read_result(); });
  EXPECT_NE(message.find("field 'status' is missing"), std::string::npos) << message;
}

TEST(RunFolderTest, HistoryReadsBackAsWritten) {
  testing::TempDir dir;
  History history;
  history.loss = {2.5f, 1.25f, std::nanf("")};
  history.learning_rate = {0.1f, 0.1f, 0.05f};
  history.passes = {1.0 / 3.0, 2.0 / 3.0, 1.0};
  EpochRecord e;
  e.epoch = 1;
  e.iteration = 2;
  e.learning_rate = 0.1f;
  e.train_loss = 1.875;
  e.train_accuracy = 0.5;
  e.val_loss = 1.5;
  e.val_accuracy = 0.625;
  e.seconds = 3;
  e.avg_val_loss = 1.25;
  e.avg_val_accuracy = 0.75;
  history.epochs = {e};
  history.averaged = true;
  const RunFolder folder(dir.path());
  folder.write_history(history);
  for (const char* file : {"history.json", "history.csv", "loss.csv"}) {
    EXPECT_TRUE(fs::exists(dir.path() / file)) << file;
  }
  const History back = folder.read_history();
  ASSERT_EQ(back.loss.size(), 3u);
  EXPECT_EQ(back.loss[1], 1.25f);
  EXPECT_TRUE(std::isnan(back.loss[2]));
  EXPECT_EQ(back.learning_rate, history.learning_rate);
  // Passes keep float precision in the file (the checkpoint keeps every bit),
  // written in the float's shortest form.
  ASSERT_EQ(back.passes.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(static_cast<float>(back.passes[i]), static_cast<float>(history.passes[i]));
  }
  EXPECT_NE(read_file(dir.path() / "history.json").find("\"passes\":[0.33333334,0.6666667,1.0]"),
            std::string::npos)
      << read_file(dir.path() / "history.json");
  ASSERT_EQ(back.epochs.size(), 1u);
  EXPECT_EQ(back.epochs[0].iteration, 2u);
  EXPECT_EQ(back.epochs[0].val_accuracy, 0.625);
  EXPECT_EQ(back.epochs[0].avg_val_accuracy, 0.75);
  EXPECT_TRUE(back.averaged);
  write_file_atomic(dir.path() / "history.json",
                    R"({"loss": [1, 2], "passes": [1], "epochs": []})");
  const std::string message = error_of([&] { folder.read_history(); });
  EXPECT_NE(message.find("1 passes for 2 losses"), std::string::npos) << message;
}

TEST(RunFolderTest, AFolderWithNoPathWritesNothing) {
  const RunFolder none;
  EXPECT_TRUE(none.empty());
  none.write_result(full_result());
  none.write_history(History{});
  EXPECT_FALSE(none.has_checkpoint());
  EXPECT_FALSE(none.read_result().has_value());
  EXPECT_THROW(none.read_checkpoint(), IoError);
}

}  // namespace
}  // namespace descent

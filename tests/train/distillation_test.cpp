// Distillation in the trainer: the student learns what the soft labels say
// (a teacher that names the next class is followed at alpha 1 and ignored at
// alpha 0), a distilled run resumes bit for bit, its config names the
// teacher, and missing soft labels are a clear error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"
#include "train/trainer_fixture.hpp"

namespace descent::testing {
namespace {

class DistillationTest : public TrainerTest {
 protected:
  void SetUp() override {
    TrainerTest::SetUp();
    config_.network.dropout = 0.0f;
    config_.epochs = 8;
    config_.teacher = "teacher.json";
    config_.distillation = {1.0, 1.0};
    // A teacher sure that each sample is of the next class, (y + 1) mod 10.
    data_.train.soft_labels = Matrix::Zero(static_cast<Eigen::Index>(data_.train.size()), 10);
    for (std::size_t i = 0; i < data_.train.size(); ++i) {
      data_.train.soft_labels(static_cast<Eigen::Index>(i), (data_.train.labels[i] + 1) % 10) = 1;
    }
  }

  // The fractions of training samples that the trained network puts in their
  // labelled class and in the teacher's.
  std::pair<double, double> agreement() {
    Trainer trainer(config_, data_);
    EXPECT_EQ(trainer.run().status, RunStatus::Finished);
    const Matrix& scores = trainer.network().scores(data_.train.features);
    std::size_t with_labels = 0, with_teacher = 0;
    for (Eigen::Index i = 0; i < scores.rows(); ++i) {
      Eigen::Index predicted = 0;
      scores.row(i).maxCoeff(&predicted);
      const std::int32_t y = data_.train.labels[static_cast<std::size_t>(i)];
      with_labels += predicted == y;
      with_teacher += predicted == (y + 1) % 10;
    }
    const auto n = static_cast<double>(scores.rows());
    return {with_labels / n, with_teacher / n};
  }
};

TEST_F(DistillationTest, AtAlphaOneTheStudentFollowsTheTeacher) {
  // The run keeps the parameters of its best validation accuracy: measured
  // against the teacher's classes here.
  for (std::int32_t& y : data_.validation.labels) y = (y + 1) % 10;
  const auto [with_labels, with_teacher] = agreement();
  EXPECT_GT(with_teacher, 0.8);
  EXPECT_LT(with_labels, 0.2);
}

TEST_F(DistillationTest, AtAlphaZeroTheStudentFollowsTheLabels) {
  config_.distillation.alpha = 0.0;
  const auto [with_labels, with_teacher] = agreement();
  EXPECT_GT(with_labels, 0.8);
  EXPECT_LT(with_teacher, 0.2);
}

TEST_F(DistillationTest, ResumedRunEqualsAnUninterruptedOne) {
  config_.distillation = {4.0, 0.7};
  config_.epochs = 2;
  const fs::path whole = runs_.path() / "whole";
  const fs::path stopped = runs_.path() / "stopped";
  ASSERT_EQ(run_with_stops(whole, {}).status, RunStatus::Finished);
  ASSERT_EQ(run_with_stops(stopped, {5, 13, 20}).status, RunStatus::Finished);
  expect_same_run(whole, stopped);
}

TEST_F(DistillationTest, TheConfigNamesTheTeacherOnlyWhenThereIsOne) {
  config_.distillation = {4.0, 0.7};
  const nlohmann::json json = to_json(config_);
  EXPECT_EQ(json.at("teacher"), "teacher.json");
  EXPECT_EQ(json.at("temperature"), 4.0);
  EXPECT_EQ(json.at("alpha"), 0.7);
  config_.teacher.clear();
  EXPECT_FALSE(to_json(config_).contains("teacher"));
  EXPECT_FALSE(to_json(config_).contains("alpha"));
}

TEST_F(DistillationTest, MissingSoftLabelsAreAClearError) {
  data_.train.soft_labels.resize(0, 0);
  try {
    Trainer trainer(config_, data_);
    ADD_FAILURE() << "a distillation run started without soft labels";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("teacher"), std::string::npos) << e.what();
  }
  config_.distillation.alpha = 2.0;
  EXPECT_THROW(Trainer(config_, data_), ConfigError);
}

}  // namespace
}  // namespace descent::testing

// config.json read back: train_config_from_json is the inverse of to_json, so
// a run resumes from its folder alone, and bad files are one-line errors that
// name the key.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"
#include "descent/train/config.hpp"

namespace descent {
namespace {

using nlohmann::json;

std::string error_of(const json& settings) {
  try {
    train_config_from_json(settings);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

// Fields of every kind: enums, a path, floats, options of each type, the
// schedule's optional and list fields, and the keys written only when on.
TrainConfig unusual_config() {
  TrainConfig c;
  c.data.kind = DatasetKind::Csv;
  c.data.data_dir = "some/where";
  c.data.train_size = 1234;
  c.data.seed = 9;
  c.network.hidden = {};  // softmax regression, written as [0]
  c.network.init = Init::Xavier;
  c.network.weight_scale = 0.03f;
  c.network.reg = 1e-4f;
  c.optimizer = "rmsprop";
  c.optimizer_options = {{"centered", true}, {"momentum", 0.5}, {"eps", 1e-6}};
  c.learning_rate = 3e-4;
  c.schedule.kind = ScheduleKind::multistep;
  c.schedule.milestones = {100, 250};
  c.schedule.gamma = 0.3;
  c.schedule.max_lr = 0.2;
  c.schedule.mode = PlateauMode::max;
  c.schedule_per_epoch = true;
  c.epochs = 7;
  c.batch_size = 32;
  c.drop_last = true;
  c.shuffle_once = true;
  c.seed = 11;
  c.threads = 2;
  c.clipping.max_norm = 5;
  c.no_decay_on_bias = true;
  c.average.kind = AverageKind::swa;
  c.average.swa_start = 3;
  c.average.swa_lr = 0.01;
  c.teacher = "/teachers/run";
  c.distillation.temperature = 4;
  return c;
}

TEST(ConfigJson, ReadsBackWhatItWrote) {
  for (const TrainConfig& config : {TrainConfig{}, unusual_config()}) {
    const json written = to_json(config);
    const TrainConfig read = train_config_from_json(written);
    EXPECT_EQ(to_json(read).dump(2), written.dump(2));
  }
  const TrainConfig read = train_config_from_json(to_json(unusual_config()));
  EXPECT_TRUE(read.network.hidden.empty());
  EXPECT_EQ(read.optimizer_options, unusual_config().optimizer_options);
  EXPECT_EQ(read.schedule.milestones, (std::vector<std::size_t>{100, 250}));
  EXPECT_EQ(read.schedule.gamma, 0.3);
  EXPECT_EQ(read.average.kind, AverageKind::swa);
  EXPECT_EQ(read.distillation.temperature, 4);
  EXPECT_EQ(read.network.weight_scale, 0.03f);
  EXPECT_TRUE(read.drop_last);
  EXPECT_TRUE(read.shuffle_once);
  EXPECT_FALSE(train_config_from_json(to_json(TrainConfig{})).shuffle_once);
}

TEST(ConfigJson, KeysLeftOutKeepTheirDefaultsAndUnderscoresServeForDashes) {
  const TrainConfig read = train_config_from_json(
      json{{"batch_size", 25}, {"weight_decay", 0.1}, {"step-size", 3}, {"history", 4}});
  EXPECT_EQ(read.batch_size, 25u);
  EXPECT_EQ(read.epochs, TrainConfig{}.epochs);
  EXPECT_EQ(read.optimizer_options.at("weight-decay"), OptionValue(0.1));
  EXPECT_EQ(read.optimizer_options.at("history"), OptionValue(std::int64_t{4}));
  EXPECT_EQ(read.schedule.step_size, 3u);
}

TEST(ConfigJson, BadFilesAreOneLineErrorsNamingTheKey) {
  EXPECT_EQ(error_of(json{{"epochz", 1}}), "epochz: not a setting of a training run");
  EXPECT_EQ(error_of(json{{"epochs", -1}}), "epochs: expected an integer >= 0, got -1");
  EXPECT_EQ(error_of(json{{"lr", "fast"}}), "lr: expected a number, got \"fast\"");
  EXPECT_EQ(error_of(json{{"beta1", 1.5}}), "beta1: expected a number in [0, 1), got 1.5");
  EXPECT_EQ(error_of(json{{"schedule", "cosin"}}).rfind("schedule: expected constant, ", 0), 0u);
  EXPECT_EQ(error_of(json{{"milestones", {5, -1}}}),
            "milestones: expected an integer >= 0, got -1");
  EXPECT_EQ(error_of(json{{"milestones", {5, 0.5}}}),
            "milestones: expected a list of integers, got [5,0.5]");
  EXPECT_EQ(error_of(json{{"hidden", json::array()}}).rfind("hidden:", 0), 0u);
  EXPECT_EQ(error_of(json{{"ema", 0.9}, {"swa-start", 2}}),
            "ema: cannot be combined with swa-start");
  EXPECT_EQ(error_of(json{{"alpha", 0.5}}), "alpha: needs a teacher");
  EXPECT_EQ(error_of(json::array()), "config: expected an object of settings, got []");
}

TEST(ConfigJson, OptionsAndSchedulesOfExperimentFiles) {
  EXPECT_EQ(optimizer_options_from_json(json{{"momentum", 0.95}, {"momentum_convention", "torch"}}),
            (OptimizerOptions{{"momentum", 0.95}, {"momentum-convention", std::string("torch")}}));
  const ScheduleConfig s = schedule_from_json(json{{"schedule", "cosine"}, {"period", 6}});
  EXPECT_EQ(s.kind, ScheduleKind::cosine);
  EXPECT_EQ(s.period, 6u);
  EXPECT_EQ(to_json(schedule_from_json(to_json(unusual_config().schedule))),
            to_json(unusual_config().schedule));
  try {
    optimizer_options_from_json(json{{"lrs", 1}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "lrs: not a setting of the optimizer");
  }
}

}  // namespace
}  // namespace descent

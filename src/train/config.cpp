#include "descent/train/config.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/registry.hpp"
#include "descent/train/network_json.hpp"

namespace descent {

void TrainConfig::validate() const {
  network.validate();
  check_optimizer(optimizer, optimizer_options);
  const OptimizerKind kind = optimizer_kind(optimizer);
  if (kind != OptimizerKind::first_order) validate_quasi_newton();
  clipping.validate();
  ScheduleConfig checked = schedule;
  // One-cycle's length defaults to the whole run, known once the data is.
  if (checked.kind == ScheduleKind::one_cycle && checked.total_steps == 0) checked.total_steps = 2;
  checked.validate();
  if (!(learning_rate > 0) || !std::isfinite(learning_rate)) {
    throw ConfigError("lr: expected a finite number > 0, got " + std::to_string(learning_rate));
  }
  if (epochs < 1) throw ConfigError("epochs: expected at least 1, got 0");
  if (batch_size < 1 && kind != OptimizerKind::line_search) {
    throw ConfigError("batch-size: expected at least 1, got 0 (0, the whole training set, is "
                      "for --optimizer lbfgs or cg)");
  }
  if (threads < 1) {
    throw ConfigError("threads: expected at least 1, got " + std::to_string(threads));
  }
  if (!(diverge_factor == 0 || diverge_factor > 1) || !std::isfinite(diverge_factor)) {
    throw ConfigError("diverge-factor: expected 0 (off) or a number > 1, got " +
                      shortest(diverge_factor));
  }
  if (average.kind != AverageKind::none) average.validate();
  if (!teacher.empty()) distillation.validate();
  if (average.kind == AverageKind::swa && average.swa_start > epochs) {
    throw ConfigError("swa-start: expected an epoch in [1, " + std::to_string(epochs) +
                      "] (--epochs), got " + std::to_string(average.swa_start));
  }
  if (snapshots > 0 && (schedule.kind != ScheduleKind::constant || schedule.warmup > 0 ||
                        schedule_per_epoch || average.swa_lr > 0)) {
    throw ConfigError(
        "snapshots: sets the learning rate by its own cyclic cosine; cannot be combined with "
        "--schedule, --warmup, --schedule-unit epoch or --swa-lr");
  }
}

// A line search compares the loss at several points, and oLBFGS two gradients
// of one minibatch: each needs the same function at every evaluation, which
// dropout's masks and batch norm's batch statistics (and its running
// averages, updated at every evaluation) would break.
void TrainConfig::validate_quasi_newton() const {
  const std::string needs = ": " + optimizer + " needs the same loss function at every evaluation";
  if (network.dropout > 0) throw ConfigError("dropout" + needs + "; use --dropout 0");
  if (network.batchnorm) throw ConfigError("batchnorm" + needs + "; use --no-batchnorm");
  if (clipping.max_norm > 0 || clipping.max_value > 0) {
    throw ConfigError(std::string(clipping.max_norm > 0 ? "clip-norm" : "clip-value") + ": " +
                      optimizer + " does not clip gradients; leave it 0");
  }
  if (no_decay_on_bias) throw ConfigError("no-decay-on-bias: " + optimizer + " has no weight decay");
  if (optimizer_kind(optimizer) == OptimizerKind::online_lbfgs) return;
  const std::string own_steps = ": " + optimizer + " chooses its steps by line search; ";
  if (schedule.kind != ScheduleKind::constant || schedule.warmup > 0) {
    throw ConfigError("schedule" + own_steps + "leave the schedule constant");
  }
  if (average.kind != AverageKind::none) {
    throw ConfigError(std::string(average.kind == AverageKind::ema ? "ema" : "swa-start") +
                      own_steps + "weight averaging is for first-order runs");
  }
  if (snapshots > 0) throw ConfigError("snapshots" + own_steps + "snapshots need a schedule");
  if (!teacher.empty()) throw ConfigError("teacher: " + optimizer + " trains on the labels alone");
}

namespace {

// The optimizer's hyperparameters that were set, under their flag names.
void add_optimizer_options(nlohmann::json& json, const OptimizerOptions& o) {
  const auto put = [&json](const char* key, const auto& value) {
    if (value) json[key] = *value;
  };
  put("momentum", o.momentum);
  put("dampening", o.dampening);
  put("momentum-convention", o.convention);
  put("decay-rate", o.decay_rate);
  put("centered", o.centered);
  put("beta1", o.beta1);
  put("beta2", o.beta2);
  put("eps", o.eps);
  put("weight-decay", o.weight_decay);
  put("rho", o.rho);
  put("momentum-decay", o.momentum_decay);
  put("history", o.history);
  put("lambda", o.lambda);
  put("tau", o.tau);
  put("step-divisor", o.step_divisor);
}

void add_schedule(nlohmann::json& json, const ScheduleConfig& s) {
  json["schedule"] = to_string(s.kind);
  json["warmup"] = s.warmup;
  json["step-size"] = s.step_size;
  if (s.gamma) json["gamma"] = *s.gamma;
  json["decay"] = s.decay;
  if (!s.milestones.empty()) json["milestones"] = s.milestones;
  json["period"] = s.period;
  json["restarts"] = s.restarts;
  json["period-mult"] = s.period_mult;
  json["min-lr"] = s.min_lr;
  if (s.max_lr) json["max-lr"] = *s.max_lr;
  json["total-steps"] = s.total_steps;
  json["pct-start"] = s.pct_start;
  json["div-factor"] = s.div_factor;
  json["final-div-factor"] = s.final_div_factor;
  json["mode"] = to_string(s.mode);
  json["factor"] = s.factor;
  json["patience"] = s.patience;
  json["threshold"] = s.threshold;
  json["cooldown"] = s.cooldown;
}

}  // namespace

nlohmann::json to_json(const TrainConfig& config) {
  const NetworkConfig& net = config.network;
  nlohmann::json json = {
      {"dataset", to_string(config.data.kind)},
      {"data-dir", config.data.data_dir.string()},
      {"validation-size", config.data.validation_size},
      {"train-size", config.data.train_size},
      {"data-seed", config.data.seed},
      // --hidden 0: no hidden layer.
      {"hidden", net.hidden.empty() ? std::vector<std::size_t>{0} : net.hidden},
      {"init", to_string(net.init)},
      {"weight-scale", net.weight_scale},
      {"reg", net.reg},
      {"dropout", net.dropout},
      {"batchnorm", net.batchnorm},
      {"optimizer", config.optimizer},
      {"lr", config.learning_rate},
      {"epochs", config.epochs},
      {"batch-size", config.batch_size},
      {"seed", config.seed},
      {"threads", config.threads},
      {"train-eval-samples", config.train_eval_samples},
      {"checkpoint-every", config.checkpoint_every},
      {"diverge-factor", config.diverge_factor},
      {"clip-norm", config.clipping.max_norm},
      {"clip-value", config.clipping.max_value},
      {"no-decay-on-bias", config.no_decay_on_bias},
      {"schedule-unit", config.schedule_per_epoch ? "epoch" : "iteration"},
  };
  // A network given layer by layer (conv nets), and data normalized otherwise than by default.
  if (!net.layers.empty()) json.update(layers_json(net));
  if (config.data.normalization != Normalization::subtract_mean) {
    json["normalization"] = to_string(config.data.normalization);
  }
  add_optimizer_options(json, config.optimizer_options);
  add_schedule(json, config.schedule);
  if (config.average.kind == AverageKind::ema) json["ema"] = config.average.ema_decay;
  if (config.average.kind == AverageKind::swa) {
    json["swa-start"] = config.average.swa_start;
    json["swa-lr"] = config.average.swa_lr;
  }
  if (config.snapshots > 0) json["snapshots"] = config.snapshots;
  if (!config.teacher.empty()) {
    json["teacher"] = config.teacher;
    json["temperature"] = config.distillation.temperature;
    json["alpha"] = config.distillation.alpha;
  }
  return json;
}

nlohmann::json to_json(const ScheduleConfig& schedule) {
  nlohmann::json json = nlohmann::json::object();
  add_schedule(json, schedule);
  return json;
}

nlohmann::json to_json(const OptimizerOptions& options) {
  nlohmann::json json = nlohmann::json::object();
  add_optimizer_options(json, options);
  return json;
}

}  // namespace descent

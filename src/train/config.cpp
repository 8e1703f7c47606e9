#include "descent/train/config.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <type_traits>
#include <variant>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/registry.hpp"
#include "descent/train/network_json.hpp"
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
  const std::string own_steps = ": " + optimizer + " chooses its own steps; ";
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

using nlohmann::json;

json json_of(const OptionValue& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

[[noreturn]] void wrong_type(const std::string& key, const std::string& expected,
                             const json& value) {
  throw ConfigError(key + ": expected " + expected + ", got " + value.dump());
}

// A JSON value as the setting `spec` takes it, converted and range-checked.
// A string is read as the command line would ("0.9").
OptionValue option_value(const OptionSpec& spec, const json& value) {
  OptionValue read;
  if (value.is_boolean()) {
    read = value.get<bool>();
  } else if (value.is_number_integer()) {
    read = value.get<std::int64_t>();
  } else if (value.is_number()) {
    read = value.get<double>();
  } else if (value.is_string()) {
    read = parse_option(spec, value.get<std::string>());
  } else if (value.is_array() && spec.type == OptionType::integer_list) {
    std::vector<std::int64_t> list;
    for (const json& item : value) {
      if (!item.is_number_integer()) wrong_type(spec.name, "a list of integers", value);
      list.push_back(item.get<std::int64_t>());
    }
    read = list;
  } else {
    wrong_type(spec.name, "a value of type " + to_string(spec.type), value);
  }
  read = coerce(spec, read);
  check_option(spec, read);
  return read;
}

// "batch_size" for "batch-size".
std::string flag_name(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

void add_optimizer_options(json& out, const OptimizerOptions& options) {
  for (const auto& [name, value] : options) {
    const OptionDeclaration* option = find_option(optimizer_option_table(), name);
    out[name] = json_of(option != nullptr ? coerce(option->spec(), value) : value);
  }
}

void add_schedule(json& out, const ScheduleConfig& schedule) {
  for (const auto& [name, value] : option_values(schedule_option_table(), schedule)) {
    out[name] = json_of(value);
  }
}

// Adds `value` to `values` if `key` names a setting of `table`; false if not.
bool read_setting(const OptionTable& table, const std::string& key, const json& value,
                  OptionValues& values) {
  const OptionDeclaration* option = find_option(table, key);
  if (option == nullptr) return false;
  values[key] = option_value(option->spec(), value);
  return true;
}

// The fields of a TrainConfig that config.json holds as they are, under their
// keys: to_json writes them with a Writer and train_config_from_json reads
// them with a Reader. (The network's hidden sizes, the schedule's unit and
// the settings written only when on are written and read by hand.)
template <typename Config, typename Visit>
void visit_fields(Config& c, Visit&& visit) {
  visit("dataset", c.data.kind);
  visit("data-dir", c.data.data_dir);
  visit("validation-size", c.data.validation_size);
  visit("train-size", c.data.train_size);
  visit("data-seed", c.data.seed);
  visit("init", c.network.init);
  visit("weight-scale", c.network.weight_scale);
  visit("reg", c.network.reg);
  visit("dropout", c.network.dropout);
  visit("batchnorm", c.network.batchnorm);
  visit("optimizer", c.optimizer);
  visit("lr", c.learning_rate);
  visit("epochs", c.epochs);
  visit("batch-size", c.batch_size);
  visit("seed", c.seed);
  visit("threads", c.threads);
  visit("train-eval-samples", c.train_eval_samples);
  visit("checkpoint-every", c.checkpoint_every);
  visit("diverge-factor", c.diverge_factor);
  visit("clip-norm", c.clipping.max_norm);
  visit("clip-value", c.clipping.max_value);
  visit("no-decay-on-bias", c.no_decay_on_bias);
}

struct Writer {
  json& out;
  template <typename Value>
  void operator()(const char* key, const Value& value) const {
    if constexpr (std::is_enum_v<Value>) {
      out[key] = to_string(value);
    } else if constexpr (std::is_same_v<Value, std::filesystem::path>) {
      out[key] = value.string();
    } else {
      out[key] = value;
    }
  }
};

// An integer >= 0, whether JSON's reader stored it as unsigned or not.
bool is_count(const json& value) {
  return value.is_number_unsigned() ||
         (value.is_number_integer() && value.get<std::int64_t>() >= 0);
}

// Reads one value of the JSON type of Value; ConfigError naming the key.
template <typename Value>
Value read_value(const std::string& key, const json& value) {
  if constexpr (std::is_same_v<Value, bool>) {
    if (!value.is_boolean()) wrong_type(key, "true or false", value);
  } else if constexpr (std::is_unsigned_v<Value>) {
    if (!is_count(value)) wrong_type(key, "an integer >= 0", value);
  } else if constexpr (std::is_integral_v<Value>) {
    if (!value.is_number_integer()) wrong_type(key, "an integer", value);
  } else if constexpr (std::is_floating_point_v<Value>) {
    if (!value.is_number()) wrong_type(key, "a number", value);
  } else if constexpr (std::is_same_v<Value, std::vector<std::size_t>>) {
    if (!value.is_array()) wrong_type(key, "a list of integers >= 0", value);
    for (const json& item : value) {
      if (!is_count(item)) wrong_type(key, "a list of integers >= 0", value);
    }
  } else {
    if (!value.is_string()) wrong_type(key, "a string", value);
  }
  return value.get<Value>();
}

struct Reader {
  const json& in;
  std::set<std::string>& read;
  template <typename Value>
  void operator()(const char* key, Value& value) const {
    const auto it = in.find(key);
    if (it == in.end()) return;
    read.insert(key);
    if constexpr (std::is_same_v<Value, DatasetKind>) {
      value = parse_dataset_kind(read_value<std::string>(key, *it));
    } else if constexpr (std::is_same_v<Value, Init>) {
      value = parse_init(read_value<std::string>(key, *it));
    } else if constexpr (std::is_same_v<Value, std::filesystem::path>) {
      value = read_value<std::string>(key, *it);
    } else {
      value = read_value<Value>(key, *it);
    }
  }
};

// `json` with each key written with '-' ("batch_size" -> "batch-size");
// ConfigError for a value that is not an object.
json with_flag_names(const json& in, const std::string& what) {
  if (!in.is_object()) wrong_type(what, "an object of settings", in);
  json out = json::object();
  for (const auto& [key, value] : in.items()) out[flag_name(key)] = value;
  return out;
}

// Reads each setting of the object `in` with `read_one`, which returns false
// for a key it does not know: a ConfigError naming the key.
template <typename ReadOne>
void read_each(const json& in, const std::string& what, ReadOne read_one) {
  const json settings = with_flag_names(in, what);
  for (const auto& [key, value] : settings.items()) {
    if (!read_one(key, value)) throw ConfigError(key + ": not a setting of the " + what);
  }
}

}  // namespace

void fit_network_to_data(TrainConfig& config, const DataSplits& data) {
  config.network.input_dim = data.train.dim();
  if (config.network.loss != LossKind::softmax) return;  // no classes
  config.network.num_classes = static_cast<std::size_t>(
      std::max({data.train.num_classes, data.validation.num_classes, data.test.num_classes}));
}

json to_json(const TrainConfig& config) {
  json out = json::object();
  visit_fields(config, Writer{out});
  // --hidden 0: no hidden layer.
  out["hidden"] =
      config.network.hidden.empty() ? std::vector<std::size_t>{0} : config.network.hidden;
  out["schedule-unit"] = config.schedule_per_epoch ? "epoch" : "iteration";
  // A network given layer by layer (conv nets), and data normalized otherwise than by default.
  if (!config.network.layers.empty()) out.update(layers_json(config.network));
  if (config.data.normalization != Normalization::subtract_mean) {
    out["normalization"] = to_string(config.data.normalization);
  }
  add_optimizer_options(out, config.optimizer_options);
  add_schedule(out, config.schedule);
  if (config.average.kind == AverageKind::ema) out["ema"] = config.average.ema_decay;
  if (config.average.kind == AverageKind::swa) {
    out["swa-start"] = config.average.swa_start;
    out["swa-lr"] = config.average.swa_lr;
  }
  if (config.snapshots > 0) out["snapshots"] = config.snapshots;
  if (config.drop_last) out["drop-last"] = true;
  if (config.shuffle_once) out["shuffle-once"] = true;
  if (!config.teacher.empty()) {
    out["teacher"] = config.teacher;
    out["temperature"] = config.distillation.temperature;
    out["alpha"] = config.distillation.alpha;
  }
  return out;
}

json to_json(const ScheduleConfig& schedule) {
  json out = json::object();
  add_schedule(out, schedule);
  return out;
}

json to_json(const OptimizerOptions& options) {
  json out = json::object();
  add_optimizer_options(out, options);
  return out;
}

TrainConfig train_config_from_json(const json& in) {
  const json settings = with_flag_names(in, "config");
  TrainConfig config;
  std::set<std::string> read;
  visit_fields(config, Reader{settings, read});
  const auto take = [&](const char* key) -> const json* {
    const auto it = settings.find(key);
    if (it == settings.end()) return nullptr;
    read.insert(key);
    return &*it;
  };
  if (const json* hidden = take("hidden")) {
    config.network.hidden = read_value<std::vector<std::size_t>>("hidden", *hidden);
    if (config.network.hidden.empty()) {
      throw ConfigError("hidden: expected layer sizes, e.g. [100, 100], or [0] for none");
    }
    if (config.network.hidden == std::vector<std::size_t>{0}) config.network.hidden.clear();
  }
  if (settings.contains("layers")) {
    read_layers_json(settings, config.network);
    read.insert("layers");
    read.insert("input-shape");
    read.insert("loss");
  }
  if (const json* normalization = take("normalization")) {
    config.data.normalization =
        parse_normalization(read_value<std::string>("normalization", *normalization));
  }
  if (const json* unit = take("schedule-unit")) {
    const std::string text = read_value<std::string>("schedule-unit", *unit);
    if (text != "iteration" && text != "epoch") {
      throw ConfigError("schedule-unit: expected iteration or epoch, got '" + text + "'");
    }
    config.schedule_per_epoch = text == "epoch";
  }
  const json* ema = take("ema");
  const json* swa_start = take("swa-start");
  const json* swa_lr = take("swa-lr");
  if (ema && swa_start) throw ConfigError("ema: cannot be combined with swa-start");
  if (swa_lr && !swa_start) throw ConfigError("swa-lr: needs swa-start");
  if (ema) {
    config.average.kind = AverageKind::ema;
    config.average.ema_decay = read_value<double>("ema", *ema);
  }
  if (swa_start) {
    config.average.kind = AverageKind::swa;
    config.average.swa_start = read_value<std::size_t>("swa-start", *swa_start);
    if (swa_lr) config.average.swa_lr = read_value<double>("swa-lr", *swa_lr);
  }
  if (const json* drop_last = take("drop-last")) {
    config.drop_last = read_value<bool>("drop-last", *drop_last);
  }
  if (const json* shuffle_once = take("shuffle-once")) {
    config.shuffle_once = read_value<bool>("shuffle-once", *shuffle_once);
  }
  if (const json* snapshots = take("snapshots")) {
    config.snapshots = read_value<std::size_t>("snapshots", *snapshots);
    if (config.snapshots == 0) throw ConfigError("snapshots: expected at least 1, got 0");
  }
  if (const json* teacher = take("teacher")) {
    config.teacher = read_value<std::string>("teacher", *teacher);
  }
  const json* temperature = take("temperature");
  const json* alpha = take("alpha");
  if ((temperature || alpha) && config.teacher.empty()) {
    throw ConfigError(std::string(temperature ? "temperature" : "alpha") + ": needs a teacher");
  }
  if (temperature)
    config.distillation.temperature = read_value<double>("temperature", *temperature);
  if (alpha) config.distillation.alpha = read_value<double>("alpha", *alpha);
  OptionValues schedule;
  for (const auto& [key, value] : settings.items()) {
    if (read.contains(key) ||
        read_setting(optimizer_option_table(), key, value, config.optimizer_options) ||
        read_setting(schedule_option_table(), key, value, schedule)) {
      continue;
    }
    throw ConfigError(key + ": not a setting of a training run");
  }
  config.schedule = schedule_config(schedule);
  return config;
}

OptimizerOptions optimizer_options_from_json(const json& in) {
  OptimizerOptions options;
  read_each(in, "optimizer", [&](const std::string& key, const json& value) {
    return read_setting(optimizer_option_table(), key, value, options);
  });
  return options;
}

ScheduleConfig schedule_from_json(const json& in) {
  OptionValues values;
  read_each(in, "schedule", [&](const std::string& key, const json& value) {
    return read_setting(schedule_option_table(), key, value, values);
  });
  return schedule_config(values);
}

}  // namespace descent

#include "descent/optim/option_reader.hpp"

#include "descent/core/error.hpp"

namespace descent {

void OptionReader::finish() const {
  const auto reject = [&](const std::string& flag, bool set) {
    if (set && !used_.contains(flag)) {
      throw ConfigError(flag + ": not a setting of optimizer '" + optimizer_ + "'");
    }
  };
  reject("momentum", options_.momentum.has_value());
  reject("dampening", options_.dampening.has_value());
  reject("momentum-convention", options_.convention.has_value());
  reject("decay-rate", options_.decay_rate.has_value());
  reject("centered", options_.centered.has_value());
  reject("beta1", options_.beta1.has_value());
  reject("beta2", options_.beta2.has_value());
  reject("eps", options_.eps.has_value());
  reject("weight-decay", options_.weight_decay.has_value());
  reject("rho", options_.rho.has_value());
  reject("momentum-decay", options_.momentum_decay.has_value());
  reject("history", options_.history.has_value());
  reject("lambda", options_.lambda.has_value());
  reject("tau", options_.tau.has_value());
  reject("step-divisor", options_.step_divisor.has_value());
}

}  // namespace descent

// Reads OptimizerOptions for one optimizer: each value read is marked as used,
// and finish() rejects any option that was set but never read.
#pragma once

#include <set>
#include <string>

#include "descent/optim/registry.hpp"

namespace descent {

class OptionReader {
 public:
  OptionReader(std::string optimizer, const OptimizerOptions& options)
      : optimizer_(std::move(optimizer)), options_(options) {}

  // The option's value if set, else `fallback`; `flag` is the option's
  // command-line name ("beta1"), `member` the field of OptimizerOptions.
  template <typename V>
  V get(const std::string& flag, std::optional<V> OptimizerOptions::*member, V fallback) {
    used_.insert(flag);
    return (options_.*member).value_or(fallback);
  }

  // ConfigError for the first option that is set and was not read.
  void finish() const;

 private:
  std::string optimizer_;
  const OptimizerOptions& options_;
  std::set<std::string> used_;
};

}  // namespace descent

// The fixture of command tests on a small synthetic data set: 500 training
// samples (100 of them for validation) and 100 test samples in IDX files,
// and a working folder for the runs.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "support/run_descent.hpp"
#include "support/synthetic_data.hpp"

namespace descent::testing {

class SyntheticDataCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { write_synthetic_idx(data_.path(), 500, 100); }

  // descent <args> on the data, quietly.
  Outcome run(const std::string& args) {
    return run_descent(args + " --data-dir " + data_.path().string() +
                           " --validation-size 100 -q",
                       work_.path());
  }

  TempDir data_;
  TempDir work_;
};

}  // namespace descent::testing

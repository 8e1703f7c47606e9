// Epoch records compared field by field, a value not measured (NaN) equal to
// another not measured.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "descent/train/history.hpp"

namespace descent::testing {

inline void expect_same_epochs(const std::vector<EpochRecord>& expected,
                               const std::vector<EpochRecord>& actual) {
  ASSERT_EQ(actual.size(), expected.size());
  const std::pair<const char*, double EpochRecord::*> fields[] = {
      {"lr", &EpochRecord::learning_rate},
      {"train_loss", &EpochRecord::train_loss},
      {"train_acc", &EpochRecord::train_accuracy},
      {"val_loss", &EpochRecord::val_loss},
      {"val_acc", &EpochRecord::val_accuracy},
      {"seconds", &EpochRecord::seconds},
      {"train_seconds", &EpochRecord::train_seconds},
      {"avg_val_loss", &EpochRecord::avg_val_loss},
      {"avg_val_acc", &EpochRecord::avg_val_accuracy}};
  for (std::size_t e = 0; e < expected.size(); ++e) {
    EXPECT_EQ(actual[e].epoch, expected[e].epoch) << "record " << e;
    EXPECT_EQ(actual[e].iteration, expected[e].iteration) << "record " << e;
    for (const auto& [name, field] : fields) {
      const double want = expected[e].*field;
      const double got = actual[e].*field;
      EXPECT_TRUE(got == want || (std::isnan(got) && std::isnan(want)))
          << name << " of record " << e << ": " << got << ", expected " << want;
    }
  }
}

}  // namespace descent::testing

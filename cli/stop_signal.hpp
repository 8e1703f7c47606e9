// SIGINT and SIGTERM ask a long command to stop cleanly (checkpoint, then exit
// 130) instead of killing it.
#pragma once

#include <atomic>

namespace descent::cli {

// Set once a stop was asked for while the signals were caught.
const std::atomic<bool>& stop_requested();

// Catches SIGINT and SIGTERM for as long as it lives; the default handlers
// come back after.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
};

}  // namespace descent::cli

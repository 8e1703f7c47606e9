#include "stop_signal.hpp"

#include <csignal>

namespace descent::cli {

namespace {

std::atomic<bool> requested{false};

extern "C" void request_stop(int) { requested = true; }

}  // namespace

const std::atomic<bool>& stop_requested() { return requested; }

StopSignals::StopSignals() {
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
}

StopSignals::~StopSignals() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace descent::cli

// Training progress on stderr: a live bar with ETA, loss and accuracy on a
// terminal; one line per epoch when stderr is a file or pipe; nothing with
// --quiet.
#pragma once

#include <chrono>

#include "descent/train/trainer.hpp"

namespace descent::cli {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet);

  void iteration(const Progress& progress);
  void epoch(const Progress& progress);
  // Ends the bar's line, if one is drawn.
  void finish();

 private:
  bool quiet_;
  bool terminal_;
  bool bar_drawn_ = false;
  double last_accuracy_ = -1;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace descent::cli

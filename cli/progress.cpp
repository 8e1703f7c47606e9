#include "progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace descent::cli {

namespace {

std::string clock_text(double seconds) {
  const auto total = static_cast<long>(std::lround(seconds));
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

}  // namespace

ProgressPrinter::ProgressPrinter(bool quiet) : quiet_(quiet), terminal_(isatty(STDERR_FILENO)) {}

void ProgressPrinter::iteration(const Progress& p) {
  if (quiet_ || !terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool last = p.batch == p.batches_per_epoch;
  if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  const double fraction = static_cast<double>(p.batch) / static_cast<double>(p.batches_per_epoch);
  const int filled = static_cast<int>(fraction * kWidth);
  const double rate = static_cast<double>(p.iteration) / std::max(p.seconds, 1e-9);
  const double eta = static_cast<double>(p.iterations - p.iteration) / std::max(rate, 1e-9);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\rEpoch %zu/%zu [%s] %3.0f%%  loss %.4f", p.epoch, p.epochs, bar.c_str(),
               100.0 * fraction, static_cast<double>(p.loss));
  if (last_accuracy_ >= 0) std::fprintf(stderr, "  val acc %.4f", last_accuracy_);
  std::fprintf(stderr, "  ETA %s \x1b[K", clock_text(eta).c_str());
  std::fflush(stderr);
  bar_drawn_ = true;
}

void ProgressPrinter::epoch(const Progress& p) {
  if (quiet_ || p.epoch_record == nullptr) return;
  const EpochRecord& e = *p.epoch_record;
  last_accuracy_ = e.val_accuracy;
  if (bar_drawn_) std::fprintf(stderr, "\r\x1b[K");
  bar_drawn_ = false;
  std::fprintf(stderr,
               "epoch %zu/%zu  loss %.4f  train acc %.4f  val acc %.4f  val loss %.4f  (%s)\n",
               e.epoch, p.epochs, e.train_loss, e.train_accuracy, e.val_accuracy, e.val_loss,
               clock_text(e.seconds).c_str());
  std::fflush(stderr);
}

void ProgressPrinter::finish() {
  if (bar_drawn_) std::fprintf(stderr, "\n");
  bar_drawn_ = false;
}

}  // namespace descent::cli

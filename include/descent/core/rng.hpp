// A seeded random number generator whose whole state can be saved and
// restored, so that a resumed run draws the same numbers as one never stopped.
// The distributions are written out here (not std::*_distribution, whose
// output differs between standard libraries and which cache values).
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>

namespace descent {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : engine_(seed) {}

  std::uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n);
  // Standard normal, by the Box-Muller transform (one value per call).
  double normal();
  // Fisher-Yates shuffle of indices.
  void shuffle(std::span<std::uint32_t> values);

  // The engine's state as text (the standard's portable representation).
  std::string save() const;
  void load(const std::string& state);

  friend bool operator==(const Rng& a, const Rng& b) { return a.engine_ == b.engine_; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace descent

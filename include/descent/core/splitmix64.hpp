// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
// generators", OOPSLA), a generator whose every output is a fixed formula of
// the seed and the draw count, so that a script in any language rebuilds the
// same numbers bit for bit. descent uses it for test problems whose data must
// equal a reference's (the SFO problems of optim/sfo_problems.hpp); Rng
// (core/rng.hpp) remains the generator of training runs.
//   state += 0x9E3779B97F4A7C15
//   z = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9
//   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
//   draw = z ^ (z >> 31)
// uniform() = (draw >> 11) 2^-53, exact in [0, 1); normal() by Box-Muller,
// cosine branch only, u1 drawn first: sqrt(-2 ln(1 - u1)) cos(2 pi u2).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace descent {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next_u64() {
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  double normal() {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::uint64_t state_;
};

}  // namespace descent

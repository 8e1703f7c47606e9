#include "descent/core/rng.hpp"

#include <cmath>
#include <numbers>
#include <sstream>

#include "descent/core/error.hpp"

namespace descent {

double Rng::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

std::uint64_t Rng::below(std::uint64_t n) {
  // Rejection sampling: draws at or above the last whole multiple of n are
  // redrawn, so every value in [0, n) is equally likely.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t draw = engine_();
  while (draw >= limit) draw = engine_();
  return draw % n;
}

double Rng::normal() {
  // Box-Muller: u1 in (0, 1] so that log(u1) is finite.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

void Rng::shuffle(std::span<std::uint32_t> values) {
  for (std::size_t i = values.size(); i > 1; --i) {
    const std::size_t j = below(i);
    std::swap(values[i - 1], values[j]);
  }
}

std::string Rng::save() const {
  std::ostringstream out;
  out << engine_;
  return out.str();
}

void Rng::load(const std::string& state) {
  std::istringstream in(state);
  std::mt19937_64 engine;
  in >> engine;
  if (!in) throw FormatError("random state: not a valid mt19937_64 state");
  engine_ = engine;
}

}  // namespace descent

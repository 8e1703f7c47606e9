// NumPy's legacy generator, numpy.random.RandomState(seed), for the data sets
// and matrices whose source defines them by its draws (DeepOBS's noisy
// quadratic): the same seed gives the same numbers here as in NumPy, bit for bit.
//   engine   MT19937 seeded by init_genrand(seed), as std::mt19937(seed)
//   uniform  low + (high - low) * u, u = (a >> 5 * 2^26 + b >> 6) / 2^53 from
//            two 32-bit outputs a, b (random_sample)
//   normal   loc + scale * g, g by the polar method (Marsaglia's), which makes
//            two values per accepted pair, hands out f * x2 and keeps f * x1 for
//            the next call (legacy_gauss)
// Source: numpy/random/src/legacy/legacy-distributions.c and
// numpy/random/src/mt19937/mt19937.c (NumPy 1.17 and later; the same numbers
// as RandomState before it). Compiled without fused multiply-adds, whose
// rounding differs from NumPy's.
#pragma once

#include <cstdint>
#include <random>

namespace descent {

class NumpyRandomState {
 public:
  explicit NumpyRandomState(std::uint32_t seed) : engine_(seed) {}

  // random_sample(): uniform in [0, 1) with 53 random bits.
  double random_sample();
  // uniform(low, high)
  double uniform(double low, double high);
  // standard_normal(), normal(loc, scale)
  double standard_normal();
  double normal(double loc, double scale);

 private:
  std::mt19937 engine_;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace descent

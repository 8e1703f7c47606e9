// The few vector operations the line-search minimizers need, on flat spans of
// float or double. Sums accumulate in double whatever T is, so float32
// buffers of millions of parameters keep their dot products accurate.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

namespace descent {

// a . b, in 16 independent partial sums: the compiler vectorizes the inner
// loop into four accumulators, so the adds need not wait on one another
// (one accumulator runs at a quarter of the speed on data in cache).
template <typename T>
double dot(std::span<const T> a, std::span<const T> b) {
  constexpr std::size_t lanes = 16;
  double partial[lanes] = {};
  const T* pa = a.data();
  const T* pb = b.data();
  const std::size_t n = a.size();
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    for (std::size_t k = 0; k < lanes; ++k) {
      partial[k] += static_cast<double>(pa[i + k]) * static_cast<double>(pb[i + k]);
    }
  }
  double sum = 0;
  for (; i < n; ++i) sum += static_cast<double>(pa[i]) * static_cast<double>(pb[i]);
  for (const double p : partial) sum += p;
  return sum;
}

// ||a||_2
template <typename T>
double norm(std::span<const T> a) {
  return std::sqrt(dot(a, a));
}

// y += a x
template <typename T>
void add_scaled(std::span<T> y, double a, std::span<const T> x) {
  const T scale = static_cast<T>(a);
  T* py = y.data();
  const T* px = x.data();
  const std::size_t n = y.size();
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) py[i] += scale * px[i];
}

// out = a - b
template <typename T>
void difference(std::span<const T> a, std::span<const T> b, std::span<T> out) {
  const std::size_t n = out.size();
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) out[i] = a[i] - b[i];
}

}  // namespace descent

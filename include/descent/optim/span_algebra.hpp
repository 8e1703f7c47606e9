// The few vector operations the line-search minimizers need, on flat spans of
// float or double. Sums accumulate in double whatever T is, so float32
// buffers of millions of parameters keep their dot products accurate.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

namespace descent {

// sum_i term(i) over i < n, in 16 independent partial sums: the compiler
// vectorizes the inner loop into four accumulators, so the adds need not wait
// on one another (one accumulator runs at a quarter of the speed on data in
// cache). term(i) may also write element i, which fuses an update with the
// dot product that follows it into one pass over memory.
template <typename Term>
double lane_sum(std::size_t n, Term term) {
  constexpr std::size_t lanes = 16;
  std::size_t i = 0;
  if (n < lanes) {  // the same sum without the partial sums' setup and chain of adds
    double sum = 0;
    for (; i < n; ++i) sum += term(i);
    return sum;
  }
  double partial[lanes] = {};
  for (; i + lanes <= n; i += lanes) {
    for (std::size_t k = 0; k < lanes; ++k) partial[k] += term(i + k);
  }
  double sum = 0;
  for (; i < n; ++i) sum += term(i);
  for (const double p : partial) sum += p;
  return sum;
}

// a . b
template <typename T>
double dot(std::span<const T> a, std::span<const T> b) {
  const T* pa = a.data();
  const T* pb = b.data();
  return lane_sum(a.size(), [pa, pb](std::size_t i) {
    return static_cast<double>(pa[i]) * static_cast<double>(pb[i]);
  });
}

// y = c x, then returns z . y
template <typename T>
double assign_scaled_dot(std::span<T> y, double c, std::span<const T> x, std::span<const T> z) {
  const T tc = static_cast<T>(c);
  T* py = y.data();
  const T* px = x.data();
  const T* pz = z.data();
  return lane_sum(y.size(), [=](std::size_t i) {
    py[i] = tc * px[i];
    return static_cast<double>(pz[i]) * static_cast<double>(py[i]);
  });
}

// y = c (y + a x), then returns z . y
template <typename T>
double scale_add_dot(std::span<T> y, double c, double a, std::span<const T> x,
                     std::span<const T> z) {
  const T tc = static_cast<T>(c);
  const T ta = static_cast<T>(a);
  T* py = y.data();
  const T* px = x.data();
  const T* pz = z.data();
  return lane_sum(y.size(), [=](std::size_t i) {
    py[i] = tc * (py[i] + ta * px[i]);
    return static_cast<double>(pz[i]) * static_cast<double>(py[i]);
  });
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

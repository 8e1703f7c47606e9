#include "descent/optim/introsort_order.hpp"

#include <bit>
#include <utility>

namespace descent {

namespace {

// Parts of more than this many + 1 elements are partitioned; smaller ones
// are insertion sorted.
constexpr std::ptrdiff_t kSmallPart = 15;
constexpr int kMaxStack = 128;

// a < b, with NaN after every number.
bool less(double a, double b) { return a < b || (b != b && a == a); }

// Heapsort of order[0, n) by values (a 1-based heap: a[i] is order[i - 1]).
void heapsort(const double* v, std::size_t* order, std::ptrdiff_t n) {
  std::size_t* a = order - 1;
  const auto sift = [&](std::ptrdiff_t top, std::ptrdiff_t size, std::size_t moving) {
    std::ptrdiff_t i = top;
    for (std::ptrdiff_t j = 2 * top; j <= size;) {
      if (j < size && less(v[a[j]], v[a[j + 1]])) ++j;
      if (!less(v[moving], v[a[j]])) break;
      a[i] = a[j];
      i = j;
      j += j;
    }
    a[i] = moving;
  };
  for (std::ptrdiff_t l = n / 2; l > 0; --l) sift(l, n, a[l]);
  for (; n > 1; --n) {
    const std::size_t moving = a[n];
    a[n] = a[1];
    sift(1, n - 1, moving);
  }
}

}  // namespace

void introsort_argsort(std::span<const double> values, std::span<std::size_t> order) {
  const double* v = values.data();
  const auto n = static_cast<std::ptrdiff_t>(values.size());
  for (std::ptrdiff_t i = 0; i < n; ++i)
    order[static_cast<std::size_t>(i)] = static_cast<std::size_t>(i);
  if (n < 2) return;
  std::size_t* left = order.data();
  std::size_t* right = order.data() + n - 1;
  std::size_t* stack[kMaxStack];
  int depths[kMaxStack / 2];
  std::size_t** top = stack;
  int* depth_top = depths;
  int depth = 2 * (std::bit_width(static_cast<std::size_t>(n)) - 1);
  for (;;) {
    if (depth < 0) {
      heapsort(v, left, right - left + 1);
    } else {
      while (right - left > kSmallPart) {
        // Median of three to *middle, then Hoare's partition around it
        // with the pivot parked at right - 1.
        std::size_t* middle = left + ((right - left) >> 1);
        if (less(v[*middle], v[*left])) std::swap(*middle, *left);
        if (less(v[*right], v[*middle])) std::swap(*right, *middle);
        if (less(v[*middle], v[*left])) std::swap(*middle, *left);
        const double pivot = v[*middle];
        std::size_t* i = left;
        std::size_t* j = right - 1;
        std::swap(*middle, *j);
        for (;;) {
          do ++i;
          while (less(v[*i], pivot));
          do --j;
          while (less(pivot, v[*j]));
          if (i >= j) break;
          std::swap(*i, *j);
        }
        std::swap(*i, *(right - 1));
        // The larger part waits on the stack; the smaller is sorted next.
        if (i - left < right - i) {
          *top++ = i + 1;
          *top++ = right;
          right = i - 1;
        } else {
          *top++ = left;
          *top++ = i - 1;
          left = i + 1;
        }
        *depth_top++ = --depth;
      }
      for (std::size_t* i = left + 1; i <= right; ++i) {
        const std::size_t moving = *i;
        std::size_t* j = i;
        while (j > left && less(v[moving], v[*(j - 1)])) {
          *j = *(j - 1);
          --j;
        }
        *j = moving;
      }
    }
    if (top == stack) break;
    right = *(--top);
    left = *(--top);
    depth = *(--depth_top);
  }
}

}  // namespace descent

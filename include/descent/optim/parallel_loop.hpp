// Elementwise loops over optimizer buffers: one fused pass, vectorized, and
// split across OpenMP threads when the buffer is large enough to pay for it.
// Each element is computed by exactly one thread with the same arithmetic, so
// the result does not depend on the number of threads.
#pragma once

#include <cstddef>

namespace descent {

// Below this many elements a step runs on one thread: waking the pool costs
// more than it saves.
inline constexpr std::size_t kParallelThreshold = 1 << 16;

// The if clause names `parallel`: a bare if would also turn off simd below the
// threshold. `body` is taken by value and copied into each thread: GCC vectorizes the
// loop only when the closure is private, not reached through a reference.
// Capture by value ([=]) in the lambdas passed here, for the same reason.
template <typename Body>
inline void for_each_index(std::size_t n, Body body) {
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for simd schedule(static) if (parallel \
                                                   : n >= kParallelThreshold) firstprivate(body)
  for (std::ptrdiff_t i = 0; i < count; ++i) body(static_cast<std::size_t>(i));
}

}  // namespace descent

// Counts the heap allocations (malloc, calloc, realloc, and so operator new
// and Eigen's buffers) of every thread while a CountAllocations is alive: the
// test program's malloc and its kin are replaced with counting wrappers
// around glibc's. What the BLAS library and the OpenMP runtime allocate for
// themselves (OpenBLAS's small-matrix kernels and its hand-over of work to
// threads, depending on the CPU; libgomp's thread teams) is left out: the
// counter measures descent's code, Eigen and the C++ library.
//
// AddressSanitizer owns malloc and reports allocations without their caller,
// so under it there is no counter: DESCENT_COUNTS_ALLOCATIONS is 0 and the
// tests that count are compiled out.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define DESCENT_COUNTS_ALLOCATIONS 0
#else
#define DESCENT_COUNTS_ALLOCATIONS 1

namespace descent::test {

class CountAllocations {
 public:
  CountAllocations();
  ~CountAllocations();
  CountAllocations(const CountAllocations&) = delete;
  CountAllocations& operator=(const CountAllocations&) = delete;

  // Allocations since construction.
  std::size_t count() const;
};

}  // namespace descent::test

#endif

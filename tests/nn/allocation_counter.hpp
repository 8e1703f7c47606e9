// Counts the heap allocations (malloc, calloc, realloc, and so operator new
// and Eigen's buffers) of every thread while a CountAllocations is alive.
// Plain builds replace malloc and its kin in the test program with counting
// wrappers around glibc's; AddressSanitizer builds, whose allocator cannot be
// replaced, count through its malloc hook instead.
#pragma once

#include <cstddef>

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

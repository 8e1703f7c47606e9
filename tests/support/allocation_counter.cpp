// The allocation counter of allocation_counter.hpp.
#include "support/allocation_counter.hpp"

#if DESCENT_COUNTS_ALLOCATIONS

#include <dlfcn.h>

#include <atomic>
#include <cstring>

namespace {

std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};

// Whether `caller` lies in OpenBLAS or in the OpenMP runtime.
bool called_from_blas_or_openmp(const void* caller) {
  Dl_info info{};
  if (dladdr(caller, &info) == 0 || info.dli_fname == nullptr) return false;
  return std::strstr(info.dli_fname, "libopenblas") != nullptr ||
         std::strstr(info.dli_fname, "libgomp") != nullptr;
}

void note_allocation(const void* caller) {
  if (counting.load(std::memory_order_relaxed) && !called_from_blas_or_openmp(caller)) {
    allocations.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);

void* malloc(std::size_t size) noexcept {
  note_allocation(__builtin_return_address(0));
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  note_allocation(__builtin_return_address(0));
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) noexcept {
  note_allocation(__builtin_return_address(0));
  return __libc_realloc(pointer, size);
}
}

namespace descent::test {

CountAllocations::CountAllocations() {
  allocations.store(0);
  counting.store(true);
}

CountAllocations::~CountAllocations() { counting.store(false); }

std::size_t CountAllocations::count() const { return allocations.load(); }

}  // namespace descent::test

#endif

// The allocation counter of allocation_counter.hpp.
#include "nn/allocation_counter.hpp"

#include <atomic>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
// The sanitizer runtime's hook (clang's <sanitizer/allocator_interface.h>;
// GCC ships the runtime but not that header).
extern "C" int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void*, std::size_t),
    void (*free_hook)(const volatile void*));
#endif

namespace {

std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};

void note_allocation() {
  if (counting.load(std::memory_order_relaxed)) {
    allocations.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)

namespace {

void on_malloc(const volatile void*, std::size_t) { note_allocation(); }
void on_free(const volatile void*) {}
const int hooks_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);

}  // namespace

#else

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);

void* malloc(std::size_t size) noexcept {
  note_allocation();
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  note_allocation();
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) noexcept {
  note_allocation();
  return __libc_realloc(pointer, size);
}
}

#endif

namespace descent::test {

CountAllocations::CountAllocations() {
  allocations.store(0);
  counting.store(true);
}

CountAllocations::~CountAllocations() { counting.store(false); }

std::size_t CountAllocations::count() const { return allocations.load(); }

}  // namespace descent::test

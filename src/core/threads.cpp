#include "descent/core/threads.hpp"

#include <omp.h>

#include <string>

#include "descent/core/error.hpp"

extern "C" void openblas_set_num_threads(int num_threads);

namespace descent {

namespace {
int current_threads = 1;
}

void set_num_threads(int n) {
  if (n < 1) throw ConfigError("threads: expected at least 1, got " + std::to_string(n));
  omp_set_num_threads(n);
  openblas_set_num_threads(n);
  current_threads = n;
}

int num_threads() { return current_threads; }

}  // namespace descent

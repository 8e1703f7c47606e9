// SFO's own time per subfunction evaluation (optim/sfo.hpp), the
// subfunction's time excluded, on the toy sum of functions of SFO's authors
// (optim/power_sum.hpp), at the sizes of the reference's measurement
// (tests/optim/reference/sfo/ref_overhead.json: the authors' sfo.py, numpy
// 1.24, one thread, on this kind of machine). As there: 2 passes to warm up,
// then 2 passes timed; ms per evaluation = (time in step() - time in the
// subfunction) / evaluations. One thread (descent::set_num_threads(1)).
// The time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which other
// processes on a shared machine do not inflate as they do the wall clock
// (they still share its caches and memory bandwidth); wall_ms is the same
// measure on the wall clock. sfo_python_overhead.py measures both for the
// authors' sfo.py.
//
// Each repetition builds a fresh problem and optimizer (default config, seed
// 0). Counters: ms_per_eval (CPU), wall_ms, python_ms (ref_overhead.json's,
// wall clock on a quiet machine), K_max, MB (Sfo::memory_bytes()) and allocs
// (malloc calls during the timed passes; Eigen allocates through malloc, so
// this counts its temporaries too).
//
//   build/bench/optim/sfo_overhead
//   build/bench/optim/sfo_overhead --benchmark_filter='100000/25'
// bench/optim/compare_sfo_overhead.sh runs the authors' sfo.py beside it.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <span>

#include "descent/core/threads.hpp"
#include "descent/optim/power_sum.hpp"
#include "descent/optim/sfo.hpp"

// Every malloc in the process is counted while `counting` is set; glibc's
// own allocator does the work.
extern "C" void* __libc_malloc(std::size_t size);
namespace {
std::atomic<std::uint64_t> malloc_count{0};
std::atomic<bool> counting{false};
}  // namespace
extern "C" void* malloc(std::size_t size) {
  if (counting.load(std::memory_order_relaxed))
    malloc_count.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}

namespace {

using Clock = std::chrono::steady_clock;

double thread_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// The subfunction, with the CPU and wall time spent in it.
class TimedSum final : public descent::SumOfFunctions {
 public:
  explicit TimedSum(descent::SumOfFunctions& inner) : inner_(inner) {}
  std::size_t dim() const override { return inner_.dim(); }
  std::size_t subfunctions() const override { return inner_.subfunctions(); }
  double evaluate(std::size_t i, std::span<const double> x, std::span<double> gradient) override {
    const auto start = Clock::now();
    const double cpu_start = thread_seconds();
    const double f = inner_.evaluate(i, x, gradient);
    cpu_seconds += thread_seconds() - cpu_start;
    wall_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    return f;
  }
  double cpu_seconds = 0;
  double wall_seconds = 0;

 private:
  descent::SumOfFunctions& inner_;
};

// ref_overhead.json's sfo_ms_per_step: ms per evaluation of the authors' sfo.py.
double python_ms(std::int64_t dim, std::int64_t subfunctions) {
  if (dim == 1000 && subfunctions == 25) return 1.495;
  if (dim == 1000 && subfunctions == 100) return 10.755;
  if (dim == 10000 && subfunctions == 25) return 2.102;
  if (dim == 10000 && subfunctions == 100) return 17.12;
  if (dim == 100000 && subfunctions == 25) return 19.156;
  return 0;
}

void sfo_overhead(benchmark::State& state) {
  descent::set_num_threads(1);
  const auto dim = static_cast<std::size_t>(state.range(0));
  const auto n = static_cast<std::size_t>(state.range(1));
  descent::PowerSum problem(dim, n, 0);
  TimedSum timed(problem);
  descent::Sfo sfo(problem.start(), n);
  while (sfo.passes() < 2) sfo.step(timed);
  double cpu_ms = 0, wall_ms = 0;
  std::uint64_t allocations = 0;
  for (auto _ : state) {
    timed.cpu_seconds = 0;
    timed.wall_seconds = 0;
    const std::uint64_t evaluations = sfo.evaluations();
    const double end = sfo.passes() + 2;
    malloc_count = 0;
    counting = true;
    const auto start = Clock::now();
    const double cpu_start = thread_seconds();
    while (sfo.passes() < end) sfo.step(timed);
    const double cpu = thread_seconds() - cpu_start;
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    counting = false;
    allocations += malloc_count;
    const auto count = static_cast<double>(sfo.evaluations() - evaluations);
    state.SetIterationTime((cpu - timed.cpu_seconds) / count);
    cpu_ms = 1e3 * (cpu - timed.cpu_seconds) / count;
    wall_ms = 1e3 * (wall - timed.wall_seconds) / count;
  }
  state.counters["ms_per_eval"] = cpu_ms;
  state.counters["wall_ms"] = wall_ms;
  state.counters["python_ms"] = python_ms(state.range(0), state.range(1));
  state.counters["K_max"] = static_cast<double>(sfo.state().k_max);
  state.counters["MB"] = static_cast<double>(sfo.memory_bytes()) / 1e6;
  state.counters["allocs"] = static_cast<double>(allocations);
}

BENCHMARK(sfo_overhead)
    ->ArgNames({"M", "N"})
    ->Args({1000, 25})
    ->Args({1000, 100})
    ->Args({10000, 25})
    ->Args({10000, 100})
    ->Args({100000, 25})
    ->UseManualTime()
    ->Iterations(1)
    ->Repetitions(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

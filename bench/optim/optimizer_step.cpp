// Optimizer step speed: the bytes per second that Optimizer<float>::step moves
// for every optimizer in the registry, beside reference loops that move the
// same bytes with nothing else to do, at several sizes and thread counts.
//
// A step is bound by memory bandwidth: each parameter's buffers are read and
// written once per step, with a few flops in between. So the measure is GB/s
// (1 GB = 1e9 bytes, as STREAM counts), and the goal is every optimizer at 80%
// or more of its reference loop. The bytes one step moves per parameter, with
// the optimizer's default options (4 bytes per float buffer read or written):
//
//   optimizer  reads                    writes                bytes  reference
//   sgd        w, dw                    w                     12     fused_2r1w
//   momentum   w, dw, v                 w, v                  20     fused_3r2w
//   nesterov   w, dw, v                 w, v                  20     fused_3r2w
//   adagrad    w, dw, cache             w, cache              20     fused_3r2w
//   rmsprop    w, dw, cache             w, cache              20     fused_3r2w
//   lion       w, dw, m                 w, m                  20     fused_3r2w
//   adadelta   w, dw, E[g^2], E[dx^2]   w, E[g^2], E[dx^2]    28     fused_4r3w
//   adam       w, dw, m, v              w, m, v               28     fused_4r3w
//   adamw      w, dw, m, v              w, m, v               28     fused_4r3w
//   adamax     w, dw, m, u              w, m, u               28     fused_4r3w
//   nadam      w, dw, m, v              w, m, v               28     fused_4r3w
//   radam      w, dw, m, v              w, m, v               28     fused_4r3w
//   amsgrad    w, dw, m, v, v_max       w, m, v, v_max        36     fused_5r4w
//
// (rmsprop's defaults are neither centered nor with momentum; each of those
// adds a buffer, 8 bytes.) Every buffer written is also read, so these counts
// are the traffic to memory, with no write-allocate reads on top.
//
// Reference loops, written here directly in the OpenMP parallel-for-simd form
// of descent/optim/parallel_loop.hpp (same threshold, same schedule), except
// that their if clause is if(parallel: ...): a bare if clause on a combined
// construct also applies to simd (OpenMP 5.0), and GCC then runs the loop
// unvectorized whenever it is false, below the threshold.
//   fused_2r1w  w -= lr * dw                                  (sgd's shape)
//   fused_3r2w  v = mu * v - lr * dw; w += v                  (momentum's)
//   fused_4r3w  Adam's update, Kingma & Ba 2015, Algorithm 1  (the bandwidth
//               loop of the goal)
//   fused_5r4w  AMSGrad's update, Reddi et al. 2018           (amsgrad's)
//   triad       a = b + s * c, STREAM's triad; 12 bytes as STREAM counts them,
//               although writing a also reads it into cache (16 bytes moved)
// Each optimizer's ratio is against the fused loop of its own shape, since
// the mix of reads and writes changes what the memory system sustains.
//
// Each case times `step` after one untimed step (which makes and first touches
// the state), for a fixed number of steps that moves about --gb-per-case GB,
// each step timed on its own. By default each case runs 3 times, and the
// repetitions of all cases in a random order
// (--benchmark_repetitions=3 --benchmark_enable_random_interleaving=true,
// which the command line can override). The gradient is fixed, uniform in [-1, 1); the
// learning rate is the optimizer's default. Counters: GB_per_s (over all the
// steps), best_ms and median_ms (of one step), bytes_per_param, params,
// threads, and allocs_per_step (operator new calls during the timed steps: a
// step should allocate nothing).
//
// Own flags, given before or among Google Benchmark's:
//   --sizes=LIST        parameter counts (default 1000000,10000000,50000000)
//   --threads=LIST      thread counts (default 1,2), set by descent::set_num_threads
//   --optimizers=LIST   optimizer names (default: all of optimizer_names())
//   --gb-per-case=X     bytes each repetition of a case moves, in GB (default
//                       1.5; at least 3 steps)
//   --summary-out=FILE  also write the summary as JSON lines
// After the runs, a summary table: optimizer, size, threads, median and best
// ms per step, GB/s of the best step (as STREAM reports its best rate: other
// processes can only slow a step down), the reference loop's, and their ratio
// (also of the medians). With --benchmark_repetitions, the best of all steps
// and the median of the repetitions' medians.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/rng.hpp"
#include "descent/core/threads.hpp"
#include "descent/optim/parallel_loop.hpp"
#include "descent/optim/registry.hpp"

// Every operator new in the process is counted, so that a case can report the
// allocations made while it was timed. (new[] and the nothrow forms call this
// one; aligned new is not counted.) They are kept out of line: inlined, GCC 12
// pairs malloc with operator delete, or operator new with free, and warns
// (-Wmismatched-new-delete).
namespace {
std::atomic<std::uint64_t> allocation_count{0};
}  // namespace

[[gnu::noinline]] void* operator new(std::size_t size) {
  allocation_count.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

// Float buffers read and written per parameter by one step.
struct Traffic {
  int reads;
  int writes;
  int bytes() const { return static_cast<int>(sizeof(float)) * (reads + writes); }
  std::string reference() const {
    return "fused_" + std::to_string(reads) + "r" + std::to_string(writes) + "w";
  }
};

// The table of the file's header.
const std::map<std::string, Traffic>& optimizer_traffic() {
  static const std::map<std::string, Traffic> table = {
      {"sgd", {2, 1}},     {"momentum", {3, 2}}, {"nesterov", {3, 2}}, {"adagrad", {3, 2}},
      {"rmsprop", {3, 2}}, {"lion", {3, 2}},     {"adadelta", {4, 3}}, {"adam", {4, 3}},
      {"adamw", {4, 3}},   {"adamax", {4, 3}},   {"nadam", {4, 3}},    {"radam", {4, 3}},
      {"amsgrad", {5, 4}},
  };
  return table;
}

// ---- Reference loops --------------------------------------------------------

// The buffers of a reference loop, each (n); a loop uses as many state
// buffers as its shape needs.
struct Arrays {
  float* w;
  const float* dw;
  std::array<float*, 3> state;
};

// w -= lr * dw
void fused_2r1w(const Arrays& a, std::size_t n) {
  float* w = a.w;
  const float* dw = a.dw;
  const float lr = 1e-3f;
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for simd schedule(static) if (parallel : n >= descent::kParallelThreshold)
  for (std::ptrdiff_t i = 0; i < count; ++i) w[i] -= lr * dw[i];
}

// v = mu * v - lr * dw; w += v
void fused_3r2w(const Arrays& a, std::size_t n) {
  float* w = a.w;
  const float* dw = a.dw;
  float* v = a.state[0];
  const float lr = 1e-3f;
  const float mu = 0.9f;
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for simd schedule(static) if (parallel : n >= descent::kParallelThreshold)
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    v[i] = mu * v[i] - lr * dw[i];
    w[i] += v[i];
  }
}

// Kingma & Ba 2015, Algorithm 1, at a fixed step t:
//   m = beta1*m + (1-beta1)*dw
//   v = beta2*v + (1-beta2)*(dw**2)
//   w -= lr * (m / (1-beta1**t)) / (sqrt(v / (1-beta2**t)) + eps)
void fused_4r3w(const Arrays& a, std::size_t n) {
  float* w = a.w;
  const float* dw = a.dw;
  float* m = a.state[0];
  float* v = a.state[1];
  const float lr = 1e-3f;
  const float beta1 = 0.9f;
  const float beta2 = 0.999f;
  const float bias1 = 0.5f;
  const float bias2 = 0.01f;
  const float eps = 1e-8f;
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for simd schedule(static) if (parallel : n >= descent::kParallelThreshold)
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    m[i] = beta1 * m[i] + (1 - beta1) * dw[i];
    v[i] = beta2 * v[i] + (1 - beta2) * (dw[i] * dw[i]);
    w[i] -= lr * (m[i] / bias1) / (std::sqrt(v[i] / bias2) + eps);
  }
}

// Reddi et al. 2018, Algorithm 2, with Adam's bias correction:
//   m = beta1*m + (1-beta1)*dw
//   v = beta2*v + (1-beta2)*(dw**2)
//   v_max = max(v_max, v)
//   w -= lr * (m / (1-beta1**t)) / (sqrt(v_max / (1-beta2**t)) + eps)
void fused_5r4w(const Arrays& a, std::size_t n) {
  float* w = a.w;
  const float* dw = a.dw;
  float* m = a.state[0];
  float* v = a.state[1];
  float* v_max = a.state[2];
  const float lr = 1e-3f;
  const float beta1 = 0.9f;
  const float beta2 = 0.999f;
  const float bias1 = 0.5f;
  const float bias2 = 0.01f;
  const float eps = 1e-8f;
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for simd schedule(static) if (parallel : n >= descent::kParallelThreshold)
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    m[i] = beta1 * m[i] + (1 - beta1) * dw[i];
    v[i] = beta2 * v[i] + (1 - beta2) * (dw[i] * dw[i]);
    v_max[i] = std::max(v_max[i], v[i]);
    w[i] -= lr * (m[i] / bias1) / (std::sqrt(v_max[i] / bias2) + eps);
  }
}

// STREAM's triad: a = b + s * c, into w from dw and the first state buffer.
void triad(const Arrays& a, std::size_t n) {
  float* out = a.w;
  const float* b = a.dw;
  const float* c = a.state[0];
  const float s = 3.0f;
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for simd schedule(static) if (parallel : n >= descent::kParallelThreshold)
  for (std::ptrdiff_t i = 0; i < count; ++i) out[i] = b[i] + s * c[i];
}

struct ReferenceLoop {
  std::string name;
  Traffic traffic;    // as counted (the triad's as STREAM counts it)
  int state_buffers;  // beside w and dw
  void (*run)(const Arrays&, std::size_t);
};

const std::vector<ReferenceLoop>& reference_loops() {
  static const std::vector<ReferenceLoop> loops = {
      {"fused_2r1w", {2, 1}, 0, fused_2r1w}, {"fused_3r2w", {3, 2}, 1, fused_3r2w},
      {"fused_4r3w", {4, 3}, 2, fused_4r3w}, {"fused_5r4w", {5, 4}, 3, fused_5r4w},
      {"triad", {2, 1}, 1, triad},
  };
  return loops;
}

// ---- Cases --------------------------------------------------------------------

// The fixed gradient for n parameters, uniform in [-1, 1), made once per size
// (cases of all sizes may run in any order).
const std::vector<float>& gradient(std::size_t n) {
  static std::map<std::size_t, std::vector<float>> by_size;
  std::vector<float>& dw = by_size[n];
  if (dw.size() != n) {
    dw.resize(n);
    descent::Rng rng(2024);
    for (float& x : dw) x = static_cast<float>(2 * rng.uniform() - 1);
  }
  return dw;
}

// Parameters in [-0.1, 0.1), made from the gradient (only their values'
// range matters to the speed).
std::vector<float> initial_params(const std::vector<float>& dw) {
  std::vector<float> w(dw.size());
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.1f * dw[w.size() - 1 - i];
  return w;
}

bool all_finite(const std::vector<float>& values) {
  return std::all_of(values.begin(), values.end(), [](float x) { return std::isfinite(x); });
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Runs `step` once per benchmark iteration and times each call on its own:
// the summary takes the best step, as STREAM reports its best rate, since
// other processes on the machine can only make a step slower.
template <typename Step>
void time_steps(benchmark::State& state, std::size_t n, int threads, Traffic traffic, Step step) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> seconds;  // (iterations)
  seconds.reserve(static_cast<std::size_t>(state.max_iterations));
  const std::uint64_t before = allocation_count.load();
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    step();
    benchmark::ClobberMemory();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  const std::uint64_t allocations = allocation_count.load() - before;

  const double iterations = static_cast<double>(state.iterations());
  const double bytes_per_step = static_cast<double>(n) * traffic.bytes();
  state.counters["GB_per_s"] =
      benchmark::Counter(bytes_per_step * iterations / 1e9, benchmark::Counter::kIsRate);
  state.counters["best_ms"] = 1e3 * *std::min_element(seconds.begin(), seconds.end());
  state.counters["median_ms"] = 1e3 * median(seconds);
  state.counters["bytes_per_param"] = traffic.bytes();
  state.counters["params"] = static_cast<double>(n);
  state.counters["threads"] = threads;
  state.counters["allocs_per_step"] = static_cast<double>(allocations) / iterations;
}

void optimizer_step(benchmark::State& state, const std::string& name, std::size_t n, int threads,
                    Traffic traffic) {
  descent::set_num_threads(threads);
  const std::vector<float>& dw = gradient(n);
  std::vector<float> w = initial_params(dw);
  const auto optimizer = descent::make_optimizer<float>(name);
  const auto lr = static_cast<float>(descent::default_learning_rate(name));
  optimizer->step(w, dw, lr);  // untimed: makes the state

  time_steps(state, n, threads, traffic, [&] { optimizer->step(w, dw, lr); });
  if (!all_finite(w)) state.SkipWithError("the parameters are no longer finite");
}

void reference_loop(benchmark::State& state, const ReferenceLoop& loop, std::size_t n,
                    int threads) {
  descent::set_num_threads(threads);
  const std::vector<float>& dw = gradient(n);
  // w starts as the optimizers' does; the state buffers as ones, which keeps
  // every value finite and away from subnormals.
  std::vector<float> w = initial_params(dw);
  std::vector<std::vector<float>> state_buffers;
  state_buffers.reserve(3);
  Arrays arrays{w.data(), dw.data(), {}};
  for (int k = 0; k < loop.state_buffers; ++k) {
    state_buffers.emplace_back(n, 1.0f);
    arrays.state[static_cast<std::size_t>(k)] = state_buffers.back().data();
  }
  loop.run(arrays, n);  // untimed, as the optimizers' first step

  time_steps(state, n, threads, loop.traffic, [&] { loop.run(arrays, n); });
  if (!all_finite(w)) state.SkipWithError("the loop's output is not finite");
}

// ---- Summary ------------------------------------------------------------------

struct Case {
  bool is_optimizer;
  std::string name;
  std::size_t params;
  int threads;
  Traffic traffic;
  std::string reference;  // the loop its ratio is against (optimizers only)
};

struct Measured {
  std::vector<double> best_ms;    // one per repetition
  std::vector<double> median_ms;  // one per repetition
  double allocs_per_step = 0;     // the most of any repetition
};

// Keeps each case's times for the summary, and passes the reports on to
// Google Benchmark's own reporter for the chosen format; to the console, a
// repeated case's median only (--benchmark_out=FILE keeps every run).
class SummaryReporter : public benchmark::BenchmarkReporter {
 public:
  SummaryReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner, bool medians_only,
                  const std::map<std::string, Case>& cases)
      : inner_(std::move(inner)), medians_only_(medians_only), cases_(cases) {}

  bool ReportContext(const Context& context) override { return inner_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      if (!cases_.contains(run.run_name.function_name)) continue;
      const auto best = run.counters.find("best_ms");
      const auto mid = run.counters.find("median_ms");
      const auto allocs = run.counters.find("allocs_per_step");
      if (best == run.counters.end() || mid == run.counters.end() || allocs == run.counters.end()) {
        continue;
      }
      Measured& m = measured_[run.run_name.function_name];
      m.best_ms.push_back(best->second.value);
      m.median_ms.push_back(mid->second.value);
      m.allocs_per_step = std::max(m.allocs_per_step, allocs->second.value);
    }
    if (!medians_only_) {
      inner_->ReportRuns(runs);
      return;
    }
    // Google Benchmark reports a repeated case twice: its runs, then their
    // aggregates.
    std::vector<Run> shown;
    for (const Run& run : runs) {
      const bool repeated = run.repetitions > 1;
      if (run.run_type == Run::RT_Iteration ? !repeated : run.aggregate_name == "median") {
        shown.push_back(run);
      }
    }
    if (!shown.empty()) inner_->ReportRuns(shown);
  }
  void Finalize() override { inner_->Finalize(); }

  const std::map<std::string, Measured>& measured() const { return measured_; }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  bool medians_only_;
  const std::map<std::string, Case>& cases_;
  std::map<std::string, Measured> measured_;
};

std::string case_name(const std::string& kind, const std::string& name, std::size_t n,
                      int threads) {
  return kind + "/" + name + "/params:" + std::to_string(n) + "/threads:" + std::to_string(threads);
}

std::string fixed(double value, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

std::string load_average() {
  std::array<double, 3> load{};
  if (getloadavg(load.data(), 3) != 3) return "unknown";
  return fixed(load[0], 2) + " " + fixed(load[1], 2) + " " + fixed(load[2], 2);
}

// One case's summary: its median step (over the steps of each repetition,
// then over repetitions) and its best step (of all).
struct Row {
  const Case* c;
  double median_ms;
  double best_ms;
  double allocs;
  double gb_per_s(double ms) const {
    return static_cast<double>(c->params) * c->traffic.bytes() / (ms * 1e-3) / 1e9;
  }
  double best_gb_per_s() const { return gb_per_s(best_ms); }
  double median_gb_per_s() const { return gb_per_s(median_ms); }
};

// Prints the summary (and writes it as JSON lines to `json_out` if open).
void print_summary(std::ostream& out, std::ofstream& json_out,
                   const std::vector<std::string>& order, const std::map<std::string, Case>& cases,
                   const std::map<std::string, Measured>& measured,
                   const std::string& load_before) {
  std::map<std::string, Row> rows;
  for (const std::string& key : order) {
    const auto found = measured.find(key);
    if (found == measured.end()) continue;
    const Measured& m = found->second;
    rows[key] = {&cases.at(key), median(m.median_ms),
                 *std::min_element(m.best_ms.begin(), m.best_ms.end()), m.allocs_per_step};
  }

  out << "\nGB/s = bytes per parameter x parameters / step time, of the best step (as STREAM)"
         " and of the median step.\n";
  out << "\nReference loops\n"
      << std::left << std::setw(12) << "loop" << std::right << std::setw(10) << "params"
      << std::setw(8) << "threads" << std::setw(11) << "median ms" << std::setw(10) << "best ms"
      << std::setw(9) << "GB/s" << std::setw(11) << "med GB/s"
      << "\n";
  for (const std::string& key : order) {
    const auto row = rows.find(key);
    if (row == rows.end() || row->second.c->is_optimizer) continue;
    const Row& r = row->second;
    out << std::left << std::setw(12) << r.c->name << std::right << std::setw(10) << r.c->params
        << std::setw(8) << r.c->threads << std::setw(11) << fixed(r.median_ms, 3) << std::setw(10)
        << fixed(r.best_ms, 3) << std::setw(9) << fixed(r.best_gb_per_s(), 1) << std::setw(11)
        << fixed(r.median_gb_per_s(), 1) << "\n";
    if (json_out.is_open()) {
      json_out << nlohmann::json{{"kind", "loop"},
                                 {"name", r.c->name},
                                 {"size", r.c->params},
                                 {"threads", r.c->threads},
                                 {"bytes_per_param", r.c->traffic.bytes()},
                                 {"ms_per_step", r.median_ms},
                                 {"best_ms_per_step", r.best_ms},
                                 {"gb_per_s", r.best_gb_per_s()},
                                 {"gb_per_s_median", r.median_gb_per_s()}}
                      .dump()
               << "\n";
    }
  }

  out << "\nOptimizers against the fused loop of their shape"
         " (ratio: best GB/s over the loop's best; med: medians)\n"
      << std::left << std::setw(10) << "optimizer" << std::right << std::setw(10) << "params"
      << std::setw(8) << "threads" << std::setw(6) << "B/p" << std::setw(11) << "median ms"
      << std::setw(10) << "best ms" << std::setw(8) << "GB/s"
      << "  " << std::left << std::setw(11) << "reference" << std::right << std::setw(8)
      << "ref GB/s" << std::setw(7) << "ratio" << std::setw(6) << "med" << std::setw(8) << "allocs"
      << "\n";
  std::vector<std::string> below;
  for (const std::string& key : order) {
    const auto row = rows.find(key);
    if (row == rows.end() || !row->second.c->is_optimizer) continue;
    const Row& r = row->second;
    const auto ref = rows.find(case_name("loop", r.c->reference, r.c->params, r.c->threads));
    const bool has_ref = ref != rows.end();
    const double ratio = has_ref ? r.best_gb_per_s() / ref->second.best_gb_per_s() : 0;
    const double ratio_median = has_ref ? r.median_gb_per_s() / ref->second.median_gb_per_s() : 0;
    out << std::left << std::setw(10) << r.c->name << std::right << std::setw(10) << r.c->params
        << std::setw(8) << r.c->threads << std::setw(6) << r.c->traffic.bytes() << std::setw(11)
        << fixed(r.median_ms, 3) << std::setw(10) << fixed(r.best_ms, 3) << std::setw(8)
        << fixed(r.best_gb_per_s(), 1) << "  " << std::left << std::setw(11) << r.c->reference
        << std::right << std::setw(8) << (has_ref ? fixed(ref->second.best_gb_per_s(), 1) : "-")
        << std::setw(7) << (has_ref ? fixed(ratio, 2) : "-") << std::setw(6)
        << (has_ref ? fixed(ratio_median, 2) : "-") << std::setw(8) << fixed(r.allocs, 1) << "\n";
    if (has_ref && ratio < 0.8) {
      below.push_back(r.c->name + " (" + std::to_string(r.c->params) + ", " +
                      std::to_string(r.c->threads) + "t: " + fixed(ratio, 2) + ")");
    }
    if (json_out.is_open()) {
      nlohmann::json line{{"kind", "optimizer"},
                          {"name", r.c->name},
                          {"size", r.c->params},
                          {"threads", r.c->threads},
                          {"bytes_per_param", r.c->traffic.bytes()},
                          {"ms_per_step", r.median_ms},
                          {"best_ms_per_step", r.best_ms},
                          {"gb_per_s", r.best_gb_per_s()},
                          {"gb_per_s_median", r.median_gb_per_s()},
                          {"reference", r.c->reference},
                          {"allocs_per_step", r.allocs}};
      if (has_ref) {
        line["reference_gb_per_s"] = ref->second.best_gb_per_s();
        line["reference_gb_per_s_median"] = ref->second.median_gb_per_s();
        line["ratio"] = ratio;
        line["ratio_median"] = ratio_median;
      }
      json_out << line.dump() << "\n";
    }
  }
  out << "\nBelow 80% of the reference loop (best step): ";
  if (below.empty()) out << "none";
  for (std::size_t k = 0; k < below.size(); ++k) out << (k > 0 ? ", " : "") << below[k];
  out << "\nLoad average before: " << load_before << "; after: " << load_average() << "\n";
}

// ---- Flags --------------------------------------------------------------------

bool take_flag(std::string_view arg, std::string_view name, std::string& value) {
  if (!arg.starts_with(name) || arg.size() <= name.size() || arg[name.size()] != '=') return false;
  value = std::string(arg.substr(name.size() + 1));
  return true;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> parts;
  while (true) {
    const std::size_t comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    text.remove_prefix(comma + 1);
  }
}

// "1,2" -> {1, 2}; empty if any entry is not a positive integer.
std::vector<std::size_t> parse_counts(std::string_view text) {
  std::vector<std::size_t> counts;
  for (const std::string& part : split(text)) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size() || value == 0) return {};
    counts.push_back(value);
  }
  return counts;
}

int fail(const std::string& message) {
  std::cerr << "optimizer_step: " << message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string sizes_text = "1000000,10000000,50000000";
  std::string threads_text = "1,2";
  std::string optimizers_text;
  std::string gb_text = "1.5";
  std::string summary_out;
  std::string format = "console";
  std::vector<char*> rest;  // what is left for Google Benchmark
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i > 0 &&
        (take_flag(arg, "--sizes", sizes_text) || take_flag(arg, "--threads", threads_text) ||
         take_flag(arg, "--optimizers", optimizers_text) ||
         take_flag(arg, "--gb-per-case", gb_text) ||
         take_flag(arg, "--summary-out", summary_out))) {
      continue;
    }
    take_flag(arg, "--benchmark_format", format);  // also Google Benchmark's
    rest.push_back(argv[i]);
  }
  // Google Benchmark's flags that default otherwise here, given first so that
  // the command line's own override them: three repetitions of each case, the
  // repetitions of all cases run in a random order, so that a change in the
  // machine's load over the run falls on every case alike.
  static std::array<std::string, 2> defaults = {"--benchmark_repetitions=3",
                                                "--benchmark_enable_random_interleaving=true"};
  rest.insert(rest.begin() + 1, {defaults[0].data(), defaults[1].data()});
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_count, rest.data())) return 2;

  if (format != "console" && format != "json") {
    return fail("--benchmark_format: expected console or json, got '" + format + "'");
  }
  const std::vector<std::size_t> sizes = parse_counts(sizes_text);
  if (sizes.empty()) return fail("--sizes: expected positive integers separated by commas");
  const std::vector<std::size_t> thread_counts = parse_counts(threads_text);
  if (thread_counts.empty()) {
    return fail("--threads: expected positive integers separated by commas");
  }
  double gb_per_case = 0;
  {
    const auto [end, error] =
        std::from_chars(gb_text.data(), gb_text.data() + gb_text.size(), gb_per_case);
    if (error != std::errc() || end != gb_text.data() + gb_text.size() || !(gb_per_case > 0)) {
      return fail("--gb-per-case: expected a positive number, got '" + gb_text + "'");
    }
  }
  const std::vector<std::string> optimizers =
      optimizers_text.empty() ? descent::optimizer_names() : split(optimizers_text);
  for (const std::string& name : optimizers) {
    try {
      descent::make_optimizer<float>(name);
    } catch (const descent::Error& e) {
      return fail(std::string("--optimizers: ") + e.what());
    }
    if (!optimizer_traffic().contains(name)) {
      return fail("no byte count for optimizer '" + name +
                  "': add its buffers to the table in optimizer_step.cpp");
    }
  }
  std::ofstream json_out;
  if (!summary_out.empty()) {
    json_out.open(summary_out);
    if (!json_out) return fail("--summary-out: cannot open '" + summary_out + "' for writing");
  }

  // Size by size, thread count by thread count: the reference loops, then
  // the optimizers (the order of the summary; by default the repetitions of
  // all cases run in a random order, see `defaults` above).
  std::map<std::string, Case> cases;
  std::vector<std::string> order;
  const auto iterations_for = [gb_per_case](std::size_t n, Traffic traffic) {
    const double per_step = static_cast<double>(n) * traffic.bytes();
    return static_cast<benchmark::IterationCount>(
        std::clamp(std::ceil(gb_per_case * 1e9 / per_step), 3.0, 1e6));
  };
  for (const std::size_t n : sizes) {
    for (const std::size_t t : thread_counts) {
      const int threads = static_cast<int>(t);
      for (const ReferenceLoop& loop : reference_loops()) {
        const std::string key = case_name("loop", loop.name, n, threads);
        cases[key] = {false, loop.name, n, threads, loop.traffic, ""};
        order.push_back(key);
        benchmark::RegisterBenchmark(key.c_str(),
                                     [&loop, n, threads](benchmark::State& state) {
                                       reference_loop(state, loop, n, threads);
                                     })
            ->Iterations(iterations_for(n, loop.traffic))
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
      for (const std::string& name : optimizers) {
        const Traffic traffic = optimizer_traffic().at(name);
        const std::string key = case_name("step", name, n, threads);
        cases[key] = {true, name, n, threads, traffic, traffic.reference()};
        order.push_back(key);
        benchmark::RegisterBenchmark(key.c_str(),
                                     [name, n, threads, traffic](benchmark::State& state) {
                                       optimizer_step(state, name, n, threads, traffic);
                                     })
            ->Iterations(iterations_for(n, traffic))
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
  }

  std::unique_ptr<benchmark::BenchmarkReporter> inner;
  if (format == "json") {
    inner = std::make_unique<benchmark::JSONReporter>();
  } else {
    inner = std::make_unique<benchmark::ConsoleReporter>(benchmark::ConsoleReporter::OO_Tabular);
  }
  SummaryReporter reporter(std::move(inner), format == "console", cases);
  const std::string load_before = load_average();
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  // Machine-readable formats keep stdout to themselves.
  print_summary(format == "console" ? std::cout : std::cerr, json_out, order, cases,
                reporter.measured(), load_before);
  return 0;
}

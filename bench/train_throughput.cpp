// Training throughput: samples per second of one SGD training step (forward
// pass, backward pass, parameter update), timed over one epoch of minibatches.
//
//   (a) 784-100x5-10 at batch 100           (cs231n's five-layer network)
//   (b) 784-1000-500-100-10 at batch 128
//   (c) fmnist-2c2d at batch 128            (DeepOBS's conv net, from the problem table)
//
// each at 1 and 2 threads (descent::set_num_threads). The data is the training
// split of Fashion-MNIST as `descent train` prepares it (55,000 samples, mean
// removed) when its files are found, otherwise 55,000 random but fixed samples
// of the same shape; both are visited in one fixed shuffled order, so every
// benchmark sees the same batches. Each step copies its batch's rows out of the
// data set, as the trainer does.
//
// Own flags, given before or among Google Benchmark's:
//   --data-dir=DIR   Fashion-MNIST's folder (default: Debian's); an error if absent
//   --random-data    do not look for the data set
//   --batches=N      time N steps instead of one epoch (a quick check)
//   --threads=LIST   thread counts to run, comma-separated (default 1,2)
//
// Counters: samples_per_second (wall time) and peak_rss_MiB, the process's
// peak resident memory so far (getrusage), which includes the data set.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/matrix.hpp"
#include "descent/core/rng.hpp"
#include "descent/core/threads.hpp"
#include "descent/data/sources.hpp"
#include "descent/nn/network.hpp"
#include "descent/optim/registry.hpp"
#include "descent/train/problem.hpp"

namespace {

constexpr std::size_t kRandomSamples = 55000;  // the size of Fashion-MNIST's training split
constexpr std::size_t kInputDim = 784;
constexpr std::size_t kClasses = 10;
constexpr float kLearningRate = 5e-3f;

struct BenchData {
  descent::Matrix features;          // (n, 784)
  std::vector<std::int32_t> labels;  // (n)
  std::vector<std::uint32_t> order;  // (n) the fixed visiting order
  std::string source;
};

struct Case {
  std::string name;
  descent::NetworkConfig network;  // input_dim and num_classes set from the data
  std::size_t batch_size;
};

descent::NetworkConfig fully_connected(std::vector<std::size_t> hidden) {
  descent::NetworkConfig config;
  config.hidden = std::move(hidden);
  return config;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

BenchData random_data() {
  BenchData data;
  descent::Rng rng(2024);
  data.features.resize(static_cast<Eigen::Index>(kRandomSamples),
                       static_cast<Eigen::Index>(kInputDim));
  for (Eigen::Index k = 0; k < data.features.size(); ++k) {
    data.features.data()[k] = static_cast<float>(rng.uniform() - 0.5);
  }
  data.labels.resize(kRandomSamples);
  for (auto& label : data.labels) label = static_cast<std::int32_t>(rng.below(kClasses));
  data.source = "random data";
  return data;
}

// The training split of `descent train`'s defaults, or random data if the
// files are not in the default folder and no folder was named.
BenchData load_data(const std::string& data_dir, bool random) {
  BenchData data;
  if (random) {
    data = random_data();
  } else {
    descent::DataOptions options;
    options.data_dir = data_dir;
    try {
      descent::DataSplits splits = descent::load_splits(options);
      data.features = std::move(splits.train.features);
      data.labels = std::move(splits.train.labels);
      data.source = "fashion-mnist";
    } catch (const descent::Error& e) {
      if (!data_dir.empty()) throw;
      std::cerr << "train_throughput: " << e.what() << "; timing on random data instead\n";
      data = random_data();
    }
  }
  data.order.resize(data.labels.size());
  std::iota(data.order.begin(), data.order.end(), 0u);
  descent::Rng rng(7);
  rng.shuffle(data.order);
  return data;
}

void train_steps(benchmark::State& state, const Case& c, int threads, const BenchData& data) {
  descent::set_num_threads(threads);
  descent::NetworkConfig config = c.network;
  config.input_dim = static_cast<std::size_t>(data.features.cols());
  config.num_classes = kClasses;
  descent::Network network(config, 0);
  const auto sgd = descent::make_optimizer<float>("sgd");
  descent::Rng dropout_rng(1);  // the network draws from it only with dropout on

  const std::size_t batches = data.labels.size() / c.batch_size;  // whole batches only
  if (batches == 0) {
    state.SkipWithError("fewer samples than one batch");
    return;
  }
  descent::Matrix x(static_cast<Eigen::Index>(c.batch_size), data.features.cols());
  std::vector<std::int32_t> y(c.batch_size);
  std::size_t next = 0;
  const auto step = [&] {
    const auto rows = std::span(data.order).subspan(next * c.batch_size, c.batch_size);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      x.row(static_cast<Eigen::Index>(r)) = data.features.row(rows[r]);
      y[r] = data.labels[rows[r]];
    }
    const float loss = network.loss_and_grad(x, y, dropout_rng);
    sgd->step(network.params().values(), network.params().grads(), kLearningRate);
    next = (next + 1) % batches;
    return loss;
  };

  step();  // untimed: the first step allocates every layer's buffers
  float loss = 0;
  for (auto _ : state) {
    loss = step();
    benchmark::DoNotOptimize(loss);
  }
  if (!std::isfinite(loss)) state.SkipWithError("the training loss is not finite");
  state.counters["samples_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(c.batch_size),
      benchmark::Counter::kIsRate);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
  state.SetLabel(data.source);
}

bool take_flag(std::string_view arg, std::string_view name, std::string& value) {
  if (!arg.starts_with(name) || arg.size() <= name.size() || arg[name.size()] != '=') return false;
  value = std::string(arg.substr(name.size() + 1));
  return true;
}

// A positive integer, or 0 if `text` is not one.
std::size_t parse_count(std::string_view text) {
  std::size_t value = 0;
  if (text.empty() || text.size() > 9) return 0;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return 0;
    value = value * 10 + static_cast<std::size_t>(ch - '0');
  }
  return value;
}

// "1,2" -> {1, 2}; empty if any entry is not a positive integer.
std::vector<int> parse_counts(std::string_view text) {
  std::vector<int> counts;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::size_t count = parse_count(text.substr(0, comma));
    if (count == 0) return {};
    counts.push_back(static_cast<int>(count));
    if (comma == std::string_view::npos) return counts;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  std::string batches_text;
  std::string threads_text = "1,2";
  bool random = false;
  std::vector<char*> rest;  // what is left for Google Benchmark
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i > 0 && take_flag(arg, "--data-dir", data_dir)) continue;
    if (i > 0 && take_flag(arg, "--batches", batches_text)) continue;
    if (i > 0 && take_flag(arg, "--threads", threads_text)) continue;
    if (i > 0 && arg == "--random-data") {
      random = true;
      continue;
    }
    rest.push_back(argv[i]);
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_count, rest.data())) return 2;

  const std::size_t fixed_steps = batches_text.empty() ? 0 : parse_count(batches_text);
  if (!batches_text.empty() && fixed_steps == 0) {
    std::cerr << "train_throughput: --batches: expected a positive integer, got '" << batches_text
              << "'\n";
    return 2;
  }
  const std::vector<int> thread_counts = parse_counts(threads_text);
  if (thread_counts.empty()) {
    std::cerr << "train_throughput: --threads: expected positive integers separated by commas, "
                 "got '"
              << threads_text << "'\n";
    return 2;
  }

  BenchData data;
  try {
    data = load_data(data_dir, random);
  } catch (const descent::Error& e) {
    std::cerr << "train_throughput: " << e.what() << "\n";
    return 1;
  }

  const std::vector<Case> cases = {
      {"784-100x5-10/batch:100", fully_connected({100, 100, 100, 100, 100}), 100},
      {"784-1000-500-100-10/batch:128", fully_connected({1000, 500, 100}), 128},
      {"fmnist-2c2d/batch:128", descent::find_problem("fmnist-2c2d").network, 128},
  };
  for (const Case& c : cases) {
    for (const int threads : thread_counts) {
      const std::size_t steps = fixed_steps > 0 ? fixed_steps : data.labels.size() / c.batch_size;
      const std::string name = "train_epoch/" + c.name + "/threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(
          name.c_str(),
          [&data, c, threads](benchmark::State& state) { train_steps(state, c, threads, data); })
          ->Iterations(static_cast<benchmark::IterationCount>(steps))
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::cerr << "peak resident memory: " << peak_rss_mib() << " MiB\n";
  return 0;
}

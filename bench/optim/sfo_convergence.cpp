// SFO against full-batch L-BFGS and Adam in passes through the data, beside
// the authors' runs (tests/optim/reference/sfo/ref_*.json), on the three
// problems of those runs: logistic regression (d = 50 and 200) and the
// autoencoder of the authors' demo. Not a timing: the figures are objective
// values, which the unit tests check for the two logistic problems
// (tests/optim/sfo_convergence_test.cpp); the autoencoder's runs take about a
// minute, so they are here.
//
// For each problem, at passes 1, 2, 5, 10, 20 (and 50 for d = 200), F - F*
// (F for the autoencoder, whose minimum is not known) of:
//   sfo default        default config, seeds 0..9 (0..4 for the autoencoder):
//                      median [min, max]; the reference's median beside it
//   sfo deterministic  SfoConfig::reference_deterministic, and the reference's
//   lbfgs              full-batch L-BFGS (m = 10, strong Wolfe), the best F
//                      among its first p evaluations of F (one pass each)
//   adam               Adam over lr in {1e-4, 3e-4, ..., 0.3} (one random
//                      subfunction per step), the setting with the best F at
//                      the last checkpoint
// and the passes each took to reach the reference's targets (F - F* <= 1e-2,
// 1e-4, 1e-6, 1e-9; F <= F_ref + 10, 1, 0.3 for the autoencoder), F read
// every quarter pass, as the reference reads it.
//
//   build/bench/optim/sfo_convergence [--problems=logreg,logreg_d200,autoencoder]
//                                     [--reference-dir=tests/optim/reference/sfo]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "descent/core/threads.hpp"
#include "descent/optim/adam.hpp"
#include "descent/optim/autoencoder_sum.hpp"
#include "descent/optim/logistic_sum.hpp"
#include "descent/optim/sfo.hpp"
#include "descent/optim/sum_of_functions_baselines.hpp"

namespace {

using descent::SumOfFunctions;
using nlohmann::json;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct Problem {
  std::string name;
  std::unique_ptr<SumOfFunctions> sum;
  std::vector<double> start;
  double f_star = 0;  // F*, or the reference value the targets are counted from
  bool known_minimum = true;
  std::vector<double> checkpoints;
  std::vector<double> targets;  // gaps over f_star
  std::size_t seeds = 10;
};

double full(SumOfFunctions& sum, std::span<const double> x) {
  std::vector<double> gradient(sum.dim());
  return descent::total_value(sum, x, gradient);
}

// F every quarter pass (after the first step at or past it), as the reference records it.
std::vector<std::pair<double, double>> sfo_trace(Problem& p, const descent::SfoConfig& config,
                                                 std::uint64_t seed) {
  descent::Sfo sfo(p.start, p.sum->subfunctions(), config, seed);
  std::vector<std::pair<double, double>> trace = {{0.0, full(*p.sum, p.start)}};
  double next = 0.25;
  while (sfo.passes() < p.checkpoints.back()) {
    sfo.step(*p.sum);
    if (sfo.passes() < next) continue;
    trace.emplace_back(sfo.passes(), full(*p.sum, sfo.x()));
    while (next <= sfo.passes()) next += 0.25;
  }
  return trace;
}

double at_pass(const std::vector<std::pair<double, double>>& trace, double pass) {
  for (const auto& [p, f] : trace) {
    if (p >= pass) return f;
  }
  return trace.back().second;
}

double passes_to(const std::vector<std::pair<double, double>>& trace, double level) {
  for (const auto& [p, f] : trace) {
    if (f <= level) return p;
  }
  return kInfinity;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string number(double v) {
  if (std::isinf(v)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, std::abs(v) >= 1 && std::abs(v) < 1e4 ? "%.4g" : "%.2e", v);
  return text;
}

std::string key(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// The reference's value at a checkpoint, or NaN.
double reference_value(const json& j, double pass) {
  const std::string k = key(pass);
  if (!j.is_object() || !j.contains(k) || j[k].is_null()) return std::nan("");
  return j[k].is_object() ? j[k]["median"].get<double>() : j[k].get<double>();
}

void report(Problem& p, const json& ref) {
  const bool gap = p.known_minimum;
  const auto shown = [&](double f) { return gap ? f - p.f_star : f; };
  std::printf("\n## %s (N = %zu, M = %zu)%s\n", p.name.c_str(), p.sum->subfunctions(), p.sum->dim(),
              gap ? ": F - F*" : ": F");
  std::printf("%-26s", "method");
  for (const double c : p.checkpoints) std::printf(" %20s", ("pass " + key(c)).c_str());
  std::printf("\n");

  std::vector<std::vector<std::pair<double, double>>> runs;
  for (std::uint64_t seed = 0; seed < p.seeds; ++seed) runs.push_back(sfo_trace(p, {}, seed));
  const auto det =
      sfo_trace(p, descent::SfoConfig::reference_deterministic(p.sum->subfunctions()), 0);
  const std::vector<double> lbfgs = descent::lbfgs_full_batch_trace(
      *p.sum, p.start, static_cast<std::size_t>(p.checkpoints.back()));
  std::vector<double> adam;
  double adam_lr = 0, adam_final = kInfinity;
  for (const double lr : {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1}) {
    descent::Adam<double> optimizer;
    const auto trace = descent::stochastic_trace(*p.sum, optimizer, p.start, lr,
                                                 static_cast<std::size_t>(p.checkpoints.back()), 0);
    if (trace.size() == p.checkpoints.back() + 1 && trace.back() < adam_final) {
      adam = trace;
      adam_final = trace.back();
      adam_lr = lr;
    }
  }

  const json& gaps = gap ? ref["sfo_default"]["gap_at_pass"] : ref["sfo_default"]["at_pass"];
  const json& det_ref =
      gap ? ref["sfo_deterministic"]["gap_at_pass"] : ref["sfo_deterministic"]["at_pass"];
  const json& lbfgs_ref = ref["lbfgs_full_batch"]["best_so_far_at_pass"];
  const json& adam_ref = ref["adam_numpy"]["best_at_pass"];
  const auto row = [&](const std::string& label, auto value) {
    std::printf("%-26s", label.c_str());
    for (const double c : p.checkpoints) std::printf(" %20s", value(c).c_str());
    std::printf("\n");
  };
  row("sfo default, median", [&](double c) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(shown(at_pass(r, c)));
    return number(median(v));
  });
  row("  min .. max", [&](double c) {
    double lo = kInfinity, hi = -kInfinity;
    for (const auto& r : runs) {
      lo = std::min(lo, shown(at_pass(r, c)));
      hi = std::max(hi, shown(at_pass(r, c)));
    }
    return number(lo) + " .. " + number(hi);
  });
  row("  reference median", [&](double c) { return number(reference_value(gaps, c)); });
  row("sfo deterministic", [&](double c) { return number(shown(at_pass(det, c))); });
  row("  reference", [&](double c) { return number(reference_value(det_ref, c)); });
  row("lbfgs full batch", [&](double c) {
    const auto n = std::min(lbfgs.size(), static_cast<std::size_t>(c));
    return number(shown(*std::min_element(lbfgs.begin(), lbfgs.begin() + static_cast<long>(n))));
  });
  row("  reference (scipy)", [&](double c) {
    const double v = reference_value(lbfgs_ref, c);
    return number(gap ? v - p.f_star : v);
  });
  row("adam lr " + number(adam_lr),
      [&](double c) { return number(shown(adam[static_cast<std::size_t>(c)])); });
  row("  reference (numpy) lr " + ref["adam_numpy"]["best"].get<std::string>(), [&](double c) {
    const double v = reference_value(adam_ref, c);
    return number(gap ? v - p.f_star : v);
  });

  std::printf("passes to F %s", gap ? "- F* <=" : "- F_ref <=");
  for (const double t : p.targets) std::printf(" %12s", number(t).c_str());
  std::printf("   (reference: sfo median; lbfgs)\n");
  std::printf("%-26s", "sfo default, median");
  for (const double t : p.targets) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(passes_to(r, p.f_star + t));
    std::printf(" %12s", number(median(v)).c_str());
  }
  std::printf("   (");
  for (const double t : p.targets) {
    const json& row_ref = ref["passes_to_gap"][key(t)];
    std::printf(" %s;%s",
                row_ref["sfo_default_median"].is_null()
                    ? "-"
                    : number(row_ref["sfo_default_median"].get<double>()).c_str(),
                row_ref["lbfgs"].is_null() ? "-" : number(row_ref["lbfgs"].get<double>()).c_str());
  }
  std::printf(" )\n%-26s", "lbfgs full batch");
  for (const double t : p.targets) {
    double reached = kInfinity;
    for (std::size_t e = 0; e < lbfgs.size(); ++e) {
      if (lbfgs[e] <= p.f_star + t) {
        reached = static_cast<double>(e + 1);
        break;
      }
    }
    std::printf(" %12s", number(reached).c_str());
  }
  std::printf("\n");
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  descent::set_num_threads(1);
  std::string problems = "logreg,logreg_d200,autoencoder";
  std::string reference_dir = "tests/optim/reference/sfo";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--problems=", 0) == 0)
      problems = arg.substr(11);
    else if (arg.rfind("--reference-dir=", 0) == 0)
      reference_dir = arg.substr(16);
    else {
      std::fprintf(stderr, "sfo_convergence: unknown argument '%s'\n", arg.c_str());
      return 2;
    }
  }
  for (const std::string& name : split(problems)) {
    std::ifstream in(reference_dir + "/ref_" + name + ".json");
    if (!in) {
      std::fprintf(stderr, "sfo_convergence: %s/ref_%s.json: cannot open\n", reference_dir.c_str(),
                   name.c_str());
      return 1;
    }
    const json ref = json::parse(in);
    Problem p;
    p.name = name;
    if (name == "autoencoder") {
      auto sum = std::make_unique<descent::AutoencoderSum>();
      p.start = sum->start();
      p.sum = std::move(sum);
      p.f_star = ref["lbfgs_300_evals_best"];
      p.known_minimum = false;
      p.checkpoints = {1, 2, 5, 10, 20};
      p.targets = {10, 1, 0.3};
      p.seeds = 5;
    } else {
      descent::LogisticSumConfig config;
      config.dim = name == "logreg" ? 50 : 200;
      auto sum = std::make_unique<descent::LogisticSum>(config);
      p.start = sum->start();
      p.sum = std::move(sum);
      p.f_star = ref["meta"]["F_star"];
      p.checkpoints = name == "logreg" ? std::vector<double>{1, 2, 5, 10, 20}
                                       : std::vector<double>{1, 2, 5, 10, 20, 50};
      p.targets = {1e-2, 1e-4, 1e-6, 1e-9};
    }
    report(p, ref);
  }
  return 0;
}

// What the SFO tests share: the reference runs of the authors' sfo.py
// (reference/sfo/, made by sfo_reference_run.py and trimmed by
// trim_sfo_reference.py), a wrapper that records every evaluation, and runs
// of SFO to a number of passes with F read at checkpoints as the reference
// reads it.
#pragma once

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "descent/optim/sfo.hpp"
#include "descent/optim/sum_of_functions.hpp"

namespace descent::sfo_testing {

inline nlohmann::json reference(const std::string& problem) {
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/optim/reference/sfo/ref_" + problem +
                   ".json");
  EXPECT_TRUE(in) << "reference data missing for " << problem;
  return in ? nlohmann::json::parse(in) : nlohmann::json::object();
}

// Passes a problem's evaluations through, recording each subfunction's index
// and value.
class Recorder final : public SumOfFunctions {
 public:
  explicit Recorder(SumOfFunctions& inner) : inner_(inner) {}
  std::size_t dim() const override { return inner_.dim(); }
  std::size_t subfunctions() const override { return inner_.subfunctions(); }
  double evaluate(std::size_t i, std::span<const double> x, std::span<double> gradient) override {
    const double f = inner_.evaluate(i, x, gradient);
    indices.push_back(i);
    values.push_back(f);
    return f;
  }
  std::vector<std::size_t> indices;
  std::vector<double> values;

 private:
  SumOfFunctions& inner_;
};

// F(x) = sum_k f_k(x).
inline double full_value(SumOfFunctions& problem, std::span<const double> x) {
  std::vector<double> gradient(problem.dim());
  return total_value(problem, x, gradient);
}

// Steps until `passes` passes are done; F at the first step at which
// passes >= each checkpoint (the reference's reading), keyed by checkpoint.
inline std::map<double, double> run_to(Sfo& sfo, SumOfFunctions& problem, double passes,
                                       const std::vector<double>& checkpoints) {
  std::map<double, double> at;
  std::size_t next = 0;
  while (sfo.passes() < passes) {
    sfo.step(problem);
    while (next < checkpoints.size() && sfo.passes() >= checkpoints[next]) {
      at[checkpoints[next++]] = full_value(problem, sfo.x());
    }
  }
  return at;
}

inline double relative(double a, double b) { return std::abs(a - b) / std::abs(b); }

}  // namespace descent::sfo_testing

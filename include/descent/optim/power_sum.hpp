// The toy sum of functions of SFO's authors (generate_figures/models.py,
// class toy), on which their overhead figure and our benchmark measure SFO's
// own time per step:
//   f_k(x) = (1/M) sum_m ((x_m - u_km)^2)^(a_k / 2),   a_k ~ U[1.5, 4.5], u_k ~ N(0, I),
// with the start x0 ~ N(0, I), all drawn from descent's Rng(seed) (a_k and
// u_k per subfunction in order, then x0). Each evaluation is O(M).
#pragma once

#include <cstdint>
#include <vector>

#include "descent/optim/sum_of_functions.hpp"

namespace descent {

class PowerSum final : public SumOfFunctions {
 public:
  // ConfigError for zero sizes.
  PowerSum(std::size_t dim, std::size_t subfunctions, std::uint64_t seed = 0);
  std::size_t dim() const override { return start_.size(); }
  std::size_t subfunctions() const override { return powers_.size(); }
  double evaluate(std::size_t k, std::span<const double> x, std::span<double> gradient) override;
  const std::vector<double>& start() const { return start_; }

 private:
  std::vector<double> powers_;   // (N) a_k
  std::vector<double> centers_;  // (N, M) u_k
  std::vector<double> start_;    // (M)
};

}  // namespace descent

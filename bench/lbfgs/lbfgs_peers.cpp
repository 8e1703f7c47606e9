// L-BFGS on extended Rosenbrock (Moré, Garbow & Hillstrom) from (-1.2, 1, -1.2, 1, ...), n = 2, 100,
// 10,000: descent beside liblbfgs and LBFGSpp (each when found at build
// time; LBFGSpp with its strong Wolfe search, LineSearchNocedalWright: its
// More-Thuente search serves only L-BFGS-B in Debian's 0.1.0), all with history m = 10, c1 = 1e-4, c2 = 0.9 and the same stopping
// test ||g||_2 <= 1e-5 max(1, ||x||_2), all calling descent's extended_rosenbrock.
// Prints iterations, evaluations of f and its gradient, the final f, the
// distance to (1, ..., 1) and the median wall time of repeated solves.
//   lbfgs_peers [--tolerance=1e-5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "descent/optim/lbfgs.hpp"
#include "descent/optim/line_search_minimizer.hpp"
#include "descent/optim/test_functions.hpp"

#ifdef DESCENT_HAVE_LIBLBFGS
#include <lbfgs.h>
#endif
#ifdef DESCENT_HAVE_LBFGSPP
#include <LBFGS.h>
#endif

namespace {

using descent::TestFunction;

struct Solve {
  std::size_t iterations = 0;
  std::size_t evaluations = 0;
  double f = 0;
  std::vector<double> x;
};

using Solver = std::function<Solve(const TestFunction&, double tolerance)>;

Solve solve_descent(const TestFunction& function, double tolerance) {
  Solve out;
  out.x = function.start();
  descent::LbfgsDirection<double> direction({10});
  descent::LineSearchMinimizerConfig config;
  config.stopping.gradient_tolerance = tolerance;
  const descent::Objective<double> objective = [&](std::span<const double> x,
                                                   std::span<double> g) {
    return function.value_and_gradient(x, g);
  };
  const auto result = descent::minimize_with_line_search<double>(objective, direction, out.x, config);
  out.iterations = result.iterations;
  out.evaluations = result.evaluations;
  out.f = result.f;
  return out;
}

#ifdef DESCENT_HAVE_LIBLBFGS
struct LiblbfgsContext {
  const TestFunction* function;
  std::size_t evaluations = 0;
  std::size_t iterations = 0;
};

lbfgsfloatval_t liblbfgs_evaluate(void* instance, const lbfgsfloatval_t* x, lbfgsfloatval_t* g,
                                  const int n, const lbfgsfloatval_t) {
  auto* context = static_cast<LiblbfgsContext*>(instance);
  ++context->evaluations;
  const auto size = static_cast<std::size_t>(n);
  return context->function->value_and_gradient({x, size}, {g, size});
}

int liblbfgs_progress(void* instance, const lbfgsfloatval_t*, const lbfgsfloatval_t*,
                      const lbfgsfloatval_t, const lbfgsfloatval_t, const lbfgsfloatval_t,
                      const lbfgsfloatval_t, int, int k, int) {
  static_cast<LiblbfgsContext*>(instance)->iterations = static_cast<std::size_t>(k);
  return 0;
}

Solve solve_liblbfgs(const TestFunction& function, double tolerance) {
  Solve out;
  out.x = function.start();
  lbfgs_parameter_t param;
  lbfgs_parameter_init(&param);
  param.m = 10;
  param.epsilon = tolerance;
  LiblbfgsContext context{&function};
  lbfgsfloatval_t f = 0;
  lbfgs(static_cast<int>(out.x.size()), out.x.data(), &f, liblbfgs_evaluate, liblbfgs_progress,
        &context, &param);
  out.iterations = context.iterations;
  out.evaluations = context.evaluations;
  out.f = f;
  return out;
}
#endif

#ifdef DESCENT_HAVE_LBFGSPP
template <template <class> class LineSearch>
Solve solve_lbfgspp(const TestFunction& function, double tolerance) {
  LBFGSpp::LBFGSParam<double> param;
  param.m = 10;
  param.epsilon = tolerance;
  param.epsilon_rel = tolerance;
  param.max_iterations = 1000;
  param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
  LBFGSpp::LBFGSSolver<double, LineSearch> solver(param);
  std::size_t evaluations = 0;
  auto objective = [&](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    ++evaluations;
    return function.value_and_gradient({x.data(), static_cast<std::size_t>(x.size())},
                                       {g.data(), static_cast<std::size_t>(g.size())});
  };
  Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(
      function.start().data(), static_cast<Eigen::Index>(function.start().size()));
  double f = 0;
  const int iterations = solver.minimize(objective, x, f);
  return {static_cast<std::size_t>(iterations), evaluations, f,
          std::vector<double>(x.data(), x.data() + x.size())};
}
#endif

// Median milliseconds of repeated solves: at least 5, up to 0.3 s in all.
double median_ms(const Solver& solver, const TestFunction& function, double tolerance) {
  std::vector<double> times;
  double total = 0;
  while (times.size() < 5 || (total < 0.3 && times.size() < 2000)) {
    const auto begin = std::chrono::steady_clock::now();
    solver(function, tolerance);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
    times.push_back(elapsed.count() * 1e3);
    total += elapsed.count();
  }
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2),
                   times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  double tolerance = 1e-5;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--tolerance=", 12) == 0) {
      tolerance = std::stod(argv[i] + 12);
    } else {
      std::fprintf(stderr, "usage: lbfgs_peers [--tolerance=1e-5]\n");
      return 2;
    }
  }
  std::vector<std::pair<std::string, Solver>> solvers = {{"descent", solve_descent}};
#ifdef DESCENT_HAVE_LIBLBFGS
  solvers.emplace_back("liblbfgs (More-Thuente)", solve_liblbfgs);
#endif
#ifdef DESCENT_HAVE_LBFGSPP
  solvers.emplace_back("LBFGSpp (Nocedal-Wright)", solve_lbfgspp<LBFGSpp::LineSearchNocedalWright>);
#endif
  std::printf("%-26s %6s %6s %6s %12s %12s %10s\n", "library", "n", "iters", "evals", "final f",
              "distance", "ms");
  for (const std::size_t n : {2, 100, 10000}) {
    const auto function = descent::make_test_function("extended_rosenbrock", n);
    for (const auto& [name, solver] : solvers) {
      const Solve solve = solver(*function, tolerance);
      std::printf("%-26s %6zu %6zu %6zu %12.3e %12.3e %10.4f\n", name.c_str(), n,
                  solve.iterations, solve.evaluations, solve.f,
                  function->distance_to_minimizer(solve.x), median_ms(solver, *function, tolerance));
    }
  }
  return 0;
}

// A user's program that needs the optimizers alone: Adam on a quadratic,
// linked with the optim layer's target only.
#include <descent/optim/registry.hpp>
#include <iostream>
#include <vector>

int main() {
  // f(x) = 0.5 sum_i (i + 1) x_i^2, gradient (i + 1) x_i.
  std::vector<double> x = {1.0, -2.0, 3.0};
  std::vector<double> g(x.size());
  auto adam = descent::make_optimizer<double>("adam");
  for (int t = 0; t < 2000; ++t) {
    for (std::size_t i = 0; i < x.size(); ++i) g[i] = static_cast<double>(i + 1) * x[i];
    adam->step(x, g, 0.01);
  }
  double largest = 0;
  for (const double v : x) largest = std::max(largest, v < 0 ? -v : v);
  std::cout << (largest < 1e-2 ? "optim layer alone converged" : "optim layer alone failed")
            << " " << largest << "\n";
  return largest < 1e-2 ? 0 : 1;
}

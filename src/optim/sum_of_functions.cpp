#include "descent/optim/sum_of_functions.hpp"

#include "descent/core/error.hpp"

namespace descent {

double total_value(SumOfFunctions& problem, std::span<const double> x, std::span<double> gradient) {
  double total = 0;
  for (std::size_t i = 0; i < problem.subfunctions(); ++i)
    total += problem.evaluate(i, x, gradient);
  return total;
}

FloatModelSum::FloatModelSum(std::span<float> params, std::span<const float> grads,
                             std::size_t subfunctions, MinibatchLoss minibatch_loss)
    : params_(params),
      grads_(grads),
      subfunctions_(subfunctions),
      minibatch_loss_(std::move(minibatch_loss)) {
  if (params.size() != grads.size()) {
    throw ShapeError("FloatModelSum: " + std::to_string(params.size()) + " parameters but " +
                     std::to_string(grads.size()) + " gradients");
  }
  if (subfunctions == 0) throw ConfigError("subfunctions: expected N >= 1, got 0");
}

double FloatModelSum::evaluate(std::size_t i, std::span<const double> x,
                               std::span<double> gradient) {
  for (std::size_t p = 0; p < params_.size(); ++p) params_[p] = static_cast<float>(x[p]);
  const double loss = minibatch_loss_(i);
  for (std::size_t p = 0; p < grads_.size(); ++p) gradient[p] = grads_[p];
  return loss;
}

}  // namespace descent

// An objective that is a sum of functions,
//   F(x) = sum_{i=0..N-1} f_i(x),   x in R^M,
// each f_i cheap on its own (a minibatch of the training set): the problem the
// Sum of Functions Optimizer (sfo.hpp) minimizes, evaluating one f_i per step.
// Every f_i must be deterministic: the same i and x give the same value and
// gradient (a fixed minibatch, no dropout or a frozen mask per example), since
// SFO builds a curvature model of each f_i from differences of its gradients.
// A value or gradient that is NaN or infinite is allowed: SFO rejects the step.
#pragma once

#include <functional>
#include <span>

namespace descent {

class SumOfFunctions {
 public:
  virtual ~SumOfFunctions() = default;
  virtual std::size_t dim() const = 0;           // M
  virtual std::size_t subfunctions() const = 0;  // N
  // f_i(x), with its gradient written to `gradient` (length M).
  virtual double evaluate(std::size_t i, std::span<const double> x, std::span<double> gradient) = 0;
};

// F(x) = sum_i f_i(x), summed in the order i = 0, 1, ...; `gradient` is
// scratch of length M (it ends holding grad f_{N-1}).
double total_value(SumOfFunctions& problem, std::span<const double> x, std::span<double> gradient);

// f_i given as a function object.
class CallbackSum final : public SumOfFunctions {
 public:
  using Subfunction =
      std::function<double(std::size_t i, std::span<const double> x, std::span<double> gradient)>;
  CallbackSum(std::size_t dim, std::size_t subfunctions, Subfunction f)
      : dim_(dim), subfunctions_(subfunctions), f_(std::move(f)) {}
  std::size_t dim() const override { return dim_; }
  std::size_t subfunctions() const override { return subfunctions_; }
  double evaluate(std::size_t i, std::span<const double> x, std::span<double> gradient) override {
    return f_(i, x, gradient);
  }

 private:
  std::size_t dim_;
  std::size_t subfunctions_;
  Subfunction f_;
};

// A float model, such as a network whose parameters and gradients live in one
// flat buffer each (nn/ParamSet), with its training set split once into N
// fixed minibatches. evaluate(i, x, g) rounds x into `params`, calls
// minibatch_loss(i), which must compute minibatch i's loss at `params` and
// write its gradient into `grads`, and widens `grads` into g. SFO keeps x and
// all its state in double: curvature comes from differences of gradients.
class FloatModelSum final : public SumOfFunctions {
 public:
  using MinibatchLoss = std::function<double(std::size_t i)>;
  // params and grads: the model's buffers, of the same length M. ShapeError
  // if they differ, ConfigError if subfunctions is 0.
  FloatModelSum(std::span<float> params, std::span<const float> grads, std::size_t subfunctions,
                MinibatchLoss minibatch_loss);
  std::size_t dim() const override { return params_.size(); }
  std::size_t subfunctions() const override { return subfunctions_; }
  double evaluate(std::size_t i, std::span<const double> x, std::span<double> gradient) override;

 private:
  std::span<float> params_;
  std::span<const float> grads_;
  std::size_t subfunctions_;
  MinibatchLoss minibatch_loss_;
};

}  // namespace descent

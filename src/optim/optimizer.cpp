#include "descent/optim/optimizer.hpp"

#include <cmath>

#include "descent/core/error.hpp"

namespace descent {

void Clipping::validate() const {
  if (!(max_norm >= 0) || !std::isfinite(max_norm)) {
    throw ConfigError("clip-norm: expected a finite number >= 0 (0: off), got " +
                      std::to_string(max_norm));
  }
  if (!(max_value >= 0) || !std::isfinite(max_value)) {
    throw ConfigError("clip-value: expected a finite number >= 0 (0: off), got " +
                      std::to_string(max_value));
  }
}

template <typename T>
void Optimizer<T>::set_groups(std::vector<ParamGroup> groups) {
  for (const ParamGroup& g : groups) {
    if (!(g.lr_scale >= 0) || !std::isfinite(g.lr_scale)) {
      throw ConfigError("parameter group: lr scale must be a finite number >= 0");
    }
    if (g.weight_decay && (!(*g.weight_decay >= 0) || !std::isfinite(*g.weight_decay))) {
      throw ConfigError("parameter group: weight decay must be a finite number >= 0");
    }
  }
  groups_ = std::move(groups);
  if (size_ > 0) check_groups(size_);
}

template <typename T>
void Optimizer<T>::set_clipping(const Clipping& clipping) {
  clipping.validate();
  clipping_ = clipping;
}

template <typename T>
void Optimizer<T>::check_groups(std::size_t n) const {
  std::size_t expected = 0;
  for (const ParamGroup& g : groups_) {
    if (g.begin != expected || g.end < g.begin) {
      throw ShapeError(name() + ": parameter groups must cover the buffer in order, without gaps");
    }
    expected = g.end;
  }
  if (!groups_.empty() && expected != n) {
    throw ShapeError(name() + ": parameter groups cover " + std::to_string(expected) + " of " +
                     std::to_string(n) + " parameters");
  }
}

template <typename T>
void Optimizer<T>::set_steps(std::int64_t t) {
  if (t < 0) throw ConfigError(name() + ": step count must be >= 0, got " + std::to_string(t));
  steps_ = t;
  steps_set(t);
}

template <typename T>
void Optimizer<T>::prepare(std::size_t n) {
  if (size_ == 0) {
    check_groups(n);
    init_state(n);
    size_ = n;
  } else if (n != size_) {
    throw ShapeError(name() + ": the optimizer was built for " + std::to_string(size_) +
                     " parameters, got " + std::to_string(n));
  }
}

template <typename T>
void Optimizer<T>::step(std::span<T> params, std::span<const T> grads, T learning_rate) {
  if (params.size() != grads.size()) {
    throw ShapeError(name() + ": " + std::to_string(params.size()) + " parameters but " +
                     std::to_string(grads.size()) + " gradients");
  }
  prepare(params.size());
  if (!(learning_rate >= 0) || !std::isfinite(learning_rate)) {
    throw ConfigError(name() + ": learning rate must be a finite number >= 0, got " +
                      std::to_string(learning_rate));
  }
  T grad_scale = 1;
  if (clipping_.max_norm > 0) {
    double squares = 0;
    for (const T g : grads) squares += static_cast<double>(g) * static_cast<double>(g);
    const double norm = std::sqrt(squares);
    // As torch.nn.utils.clip_grad_norm_: scale = max_norm / (norm + 1e-6), if below 1.
    const double scale = clipping_.max_norm / (norm + 1e-6);
    if (scale < 1) grad_scale = static_cast<T>(scale);
  }
  const T clip_value = clipping_.max_value > 0 ? static_cast<T>(clipping_.max_value)
                                               : std::numeric_limits<T>::infinity();
  ++steps_;
  const auto run = [&](std::size_t begin, std::size_t end, double lr_scale, double decay) {
    update(Slice<T>{params.subspan(begin, end - begin), grads.subspan(begin, end - begin), begin,
                    static_cast<T>(learning_rate * lr_scale), static_cast<T>(decay), grad_scale,
                    clip_value, steps_});
  };
  if (groups_.empty()) {
    run(0, params.size(), 1.0, default_weight_decay());
  } else {
    for (const ParamGroup& g : groups_) {
      if (g.begin == g.end) continue;
      run(g.begin, g.end, g.lr_scale, g.weight_decay.value_or(default_weight_decay()));
    }
  }
}

template <typename T>
void Optimizer<T>::save(ByteWriter& out) const {
  out.put_string(name());
  out.put<std::int64_t>(steps_);
  out.put<std::uint64_t>(size_);
  save_state(out);
}

template <typename T>
void Optimizer<T>::load(ByteReader& in) {
  const std::string stored = in.get_string("optimizer name");
  if (stored != name()) {
    in.fail("optimizer name", "expected state of '" + name() + "', found '" + stored + "'");
  }
  const auto steps = in.get<std::int64_t>("optimizer steps");
  if (steps < 0) in.fail("optimizer steps", "negative step count");
  // A prepared optimizer has state before its first step, and set_steps()
  // gives a count before there is state: the two are independent.
  const auto size = in.get<std::uint64_t>("optimizer size");
  load_state(in, size);
  steps_ = steps;
  size_ = size;
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace descent

// The optimizer interface. An optimizer updates a flat buffer of parameters in
// place from a flat buffer of gradients of the same length, aligned by index,
// and owns whatever state it needs (velocity, moments) as buffers of that same
// length. It never sees a layer or a network.
//
// The learning rate is an argument of step(): the trainer asks the schedule for
// lr(t) and passes it in, so a schedule is a pure function of the step and the
// optimizer keeps only the state its formula defines.
//
// Parameter groups split the buffer into ranges with their own learning-rate
// factor and weight decay (for example no decay on biases). Gradient clipping
// applies before the update. Both reach the update loops through Slice, whose
// grad(i) is the gradient the formula sees:
//   g = clip(scale * dw, -clip_value, clip_value) + weight_decay * w
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "descent/core/bytes.hpp"

namespace descent {

// A range [begin, end) of the flat buffer with its own settings.
struct ParamGroup {
  std::size_t begin = 0;
  std::size_t end = 0;
  double lr_scale = 1.0;               // this group's learning rate is lr * lr_scale
  std::optional<double> weight_decay;  // unset: the optimizer's own
};

// Gradient clipping, applied to the whole buffer before the update.
struct Clipping {
  double max_norm = 0;   // > 0: scale dw so that ||dw||_2 <= max_norm (global norm)
  double max_value = 0;  // > 0: clamp each dw to [-max_value, max_value]
  void validate() const;
};

// One group's share of a step: the spans, where they start in the state
// buffers, and the settings that apply to them.
template <typename T>
struct Slice {
  std::span<T> w;
  std::span<const T> dw;
  std::size_t offset;  // index of w[0] in the state buffers
  T lr;
  T weight_decay;
  T grad_scale;    // from clipping by norm; 1 otherwise
  T clip_value;    // +infinity when clipping by value is off
  std::int64_t t;  // steps so far, this one included (from 1)

  // The gradient as the update formula sees it (see the file's header).
  T grad(std::size_t i) const { return clipped_grad(i) + weight_decay * w[i]; }
  // Without the weight decay term, for optimizers whose decay is decoupled (AdamW).
  T clipped_grad(std::size_t i) const {
    return std::clamp(grad_scale * dw[i], -clip_value, clip_value);
  }
};

// A view of one state buffer, named as the optimizer's formula names it
// (adam's "m" and "v", momentum's "velocity"), as long as the parameters.
template <typename T>
struct StateBuffer {
  std::string name;
  std::span<T> values;
};

// A number of the state that is not per parameter (nadam's "mu_product").
struct StateScalar {
  std::string name;
  double* value;
};

template <typename T>
class Optimizer {
 public:
  using Value = T;  // float or double
  virtual ~Optimizer() = default;

  // The name it is selected by ("sgd", "adam", ...).
  virtual std::string name() const = 0;

  // One update of params from grads (the same length, fixed by the first call).
  void step(std::span<T> params, std::span<const T> grads, T learning_rate);

  // Groups must cover the buffer in order without gaps or overlaps; an empty
  // list means one group over everything.
  void set_groups(std::vector<ParamGroup> groups);
  void set_clipping(const Clipping& clipping);

  // Number of step() calls so far.
  std::int64_t steps() const { return steps_; }
  // Sets it, for a state written elsewhere (torch.optim's "step"): the next
  // step is t + 1. ConfigError if t < 0.
  void set_steps(std::int64_t t);

  // Fixes the number of parameters at n and makes the state (zeros), as the
  // first step() would, without a step. ShapeError if it is fixed at another n.
  void prepare(std::size_t n);
  // The number of parameters the state is for; 0 before the first step or prepare().
  std::size_t size() const { return size_; }
  // Views of the state, to read and write in place; empty before the first
  // step or prepare(). Valid until load() or the optimizer's end.
  std::vector<StateBuffer<T>> state() {
    return size_ == 0 ? std::vector<StateBuffer<T>>{} : state_buffers();
  }
  std::vector<StateScalar> scalars() { return state_scalars(); }

  // The optimizer's state (step count and buffers); load() expects what save()
  // of an optimizer of the same name wrote, and says so if not.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 protected:
  // The update proper, on one group's slice.
  virtual void update(const Slice<T>& slice) = 0;
  // Makes the state buffers for n parameters (called before the first update).
  virtual void init_state(std::size_t n) = 0;
  virtual void save_state(ByteWriter& out) const = 0;
  // Reads what save_state wrote, for a buffer of n parameters (0 before the
  // first step: no state yet).
  virtual void load_state(ByteReader& in, std::size_t n) = 0;
  // The weight decay of groups that set none.
  virtual double default_weight_decay() const = 0;
  // The state buffers by name (none for sgd).
  virtual std::vector<StateBuffer<T>> state_buffers() = 0;
  // The state that is not per parameter; its step, if it keeps one, follows set_steps().
  virtual std::vector<StateScalar> state_scalars() { return {}; }
  virtual void steps_set(std::int64_t /*t*/) {}

 private:
  void check_groups(std::size_t n) const;

  std::int64_t steps_ = 0;
  std::size_t size_ = 0;
  std::vector<ParamGroup> groups_;
  Clipping clipping_;
};

// Loads a state buffer saved with out.put_array, whose length must be n.
template <typename T>
void load_buffer(ByteReader& in, std::vector<T>& buffer, std::size_t n, std::string_view field) {
  std::vector<T> loaded = in.get_array<T>(field);
  if (loaded.size() != n) {
    in.fail(field,
            "expected " + std::to_string(n) + " values, found " + std::to_string(loaded.size()));
  }
  buffer = std::move(loaded);
}

extern template class Optimizer<float>;
extern template class Optimizer<double>;

}  // namespace descent

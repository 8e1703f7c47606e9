// All trainable parameters of a model in one contiguous buffer, and all their
// gradients in a second buffer of the same length, aligned by index. Each
// parameter tensor is a named view (a matrix) into both. An optimizer steps
// over values() and grads() as flat spans and never sees a layer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "descent/core/matrix.hpp"

namespace descent {

enum class ParamKind {
  Weight,  // L2 regularization applies
  Bias,    // biases, and batch-norm scale and shift: no regularization
};

struct ParamEntry {
  std::string name;    // "W1", "b1", "gamma1", ...
  std::size_t rows;
  std::size_t cols;
  std::size_t offset;  // into values() and grads(), a multiple of 16 floats
  ParamKind kind;
  std::size_t size() const { return rows * cols; }
};

class ParamSet {
 public:
  // Registers a (rows, cols) tensor and returns its id. Only before allocate().
  std::size_t add(std::string name, std::size_t rows, std::size_t cols, ParamKind kind);
  // Makes the two buffers, zero-filled. After it, no more add().
  void allocate();

  std::span<float> values() { return values_; }
  std::span<const float> values() const { return values_; }
  std::span<float> grads() { return grads_; }
  std::span<const float> grads() const { return grads_; }

  MatrixMap value(std::size_t id);
  ConstMatrixMap value(std::size_t id) const;
  MatrixMap grad(std::size_t id);

  const std::vector<ParamEntry>& entries() const { return entries_; }
  // Length of each buffer (including alignment padding, which stays zero).
  std::size_t size() const { return values_.size(); }
  // Number of real parameters (without padding).
  std::size_t count() const;

  void zero_grads();

 private:
  using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;
  std::vector<ParamEntry> entries_;
  std::size_t total_ = 0;
  Buffer values_;
  Buffer grads_;
};

}  // namespace descent

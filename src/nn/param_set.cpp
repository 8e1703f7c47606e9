// The flat parameter and gradient buffers, and the named views into them.
#include "descent/nn/param_set.hpp"

#include <algorithm>
#include <string>

#include "descent/core/error.hpp"

namespace descent {

namespace {

// Every tensor starts 16 floats (64 bytes) into the buffer, whose start Eigen's
// aligned allocator aligns, so each view is as aligned as the buffer.
constexpr std::size_t kAlign = 16;

std::size_t round_up(std::size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

}  // namespace

std::size_t ParamSet::add(std::string name, std::size_t rows, std::size_t cols, ParamKind kind) {
  if (!values_.empty()) {
    throw ConfigError("ParamSet::add: '" + name + "' added after allocate()");
  }
  if (rows == 0 || cols == 0) {
    throw ShapeError("ParamSet::add: '" + name + "' has zero size (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + ")");
  }
  for (const ParamEntry& e : entries_) {
    if (e.name == name) throw ConfigError("ParamSet::add: '" + name + "' is already registered");
  }
  const std::size_t offset = round_up(total_);
  total_ = offset + rows * cols;
  entries_.push_back({std::move(name), rows, cols, offset, kind});
  return entries_.size() - 1;
}

void ParamSet::allocate() {
  if (!values_.empty()) throw ConfigError("ParamSet::allocate: called twice");
  if (entries_.empty()) throw ShapeError("ParamSet::allocate: no tensors were added");
  values_.assign(round_up(total_), 0.0f);
  grads_.assign(round_up(total_), 0.0f);
}

namespace {

const ParamEntry& checked(const std::vector<ParamEntry>& entries, std::size_t id, bool allocated) {
  if (id >= entries.size()) {
    throw ShapeError("ParamSet: no tensor with id " + std::to_string(id) + " (there are " +
                     std::to_string(entries.size()) + ")");
  }
  if (!allocated) {
    throw ConfigError("ParamSet: view of '" + entries[id].name + "' before allocate()");
  }
  return entries[id];
}

}  // namespace

MatrixMap ParamSet::value(std::size_t id) {
  const ParamEntry& e = checked(entries_, id, !values_.empty());
  return MatrixMap(values_.data() + e.offset, e.rows, e.cols);
}

ConstMatrixMap ParamSet::value(std::size_t id) const {
  const ParamEntry& e = checked(entries_, id, !values_.empty());
  return ConstMatrixMap(values_.data() + e.offset, e.rows, e.cols);
}

MatrixMap ParamSet::grad(std::size_t id) {
  const ParamEntry& e = checked(entries_, id, !grads_.empty());
  return MatrixMap(grads_.data() + e.offset, e.rows, e.cols);
}

std::size_t ParamSet::count() const {
  std::size_t n = 0;
  for (const ParamEntry& e : entries_) n += e.size();
  return n;
}

void ParamSet::zero_grads() { std::fill(grads_.begin(), grads_.end(), 0.0f); }

}  // namespace descent

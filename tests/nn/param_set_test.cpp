// ParamSet: layout (alignment, disjoint views, padding), and misuse errors.
#include "descent/nn/param_set.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

#include "descent/core/error.hpp"

namespace descent {
namespace {

ParamSet three_tensors() {
  ParamSet params;
  params.add("W1", 3, 5, ParamKind::Weight);
  params.add("b1", 1, 5, ParamKind::Bias);
  params.add("W2", 5, 7, ParamKind::Weight);
  params.allocate();
  return params;
}

TEST(ParamSet, OffsetsAreMultiplesOfSixteenAndInOrder) {
  const ParamSet params = three_tensors();
  const auto& e = params.entries();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].offset, 0u);
  EXPECT_EQ(e[1].offset, 16u);
  EXPECT_EQ(e[2].offset, 32u);
  for (const ParamEntry& entry : e) EXPECT_EQ(entry.offset % 16, 0u) << entry.name;
  EXPECT_EQ(params.count(), 15u + 5u + 35u);
  EXPECT_EQ(params.size(), 80u) << "32 + 35 rounded up to 16";
  EXPECT_EQ(params.values().size(), params.grads().size());
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(params.values().data()) % EIGEN_MAX_ALIGN_BYTES, 0u);
}

TEST(ParamSet, ViewsAreDisjointAndPaddingStaysZero) {
  ParamSet params = three_tensors();
  for (std::size_t id = 0; id < 3; ++id) {
    params.value(id).setConstant(static_cast<float>(id + 1));
    params.grad(id).setConstant(static_cast<float>(-(static_cast<int>(id) + 1)));
  }
  std::size_t seen = 0;
  for (std::size_t k = 0; k < params.size(); ++k) {
    float expected = 0.0f;
    for (std::size_t id = 0; id < 3; ++id) {
      const ParamEntry& e = params.entries()[id];
      if (k >= e.offset && k < e.offset + e.size()) expected = static_cast<float>(id + 1);
    }
    EXPECT_EQ(params.values()[k], expected) << k;
    EXPECT_EQ(params.grads()[k], -expected) << k;
    if (expected != 0.0f) ++seen;
  }
  EXPECT_EQ(seen, params.count());
  EXPECT_EQ(params.value(2).rows(), 5);
  EXPECT_EQ(params.value(2).cols(), 7);
}

TEST(ParamSet, ViewsFollowTheBuffersWhenMoved) {
  ParamSet params = three_tensors();
  params.value(1).setConstant(4.0f);
  ParamSet moved = std::move(params);
  EXPECT_EQ(moved.value(1).data(), moved.values().data() + 16);
  EXPECT_EQ(moved.value(1)(0, 4), 4.0f);
}

TEST(ParamSet, ZeroGradsClearsOnlyGradients) {
  ParamSet params = three_tensors();
  params.value(0).setOnes();
  params.grad(0).setOnes();
  params.zero_grads();
  EXPECT_EQ(params.grad(0).cwiseAbs().sum(), 0.0f);
  EXPECT_EQ(params.value(0).sum(), 15.0f);
}

TEST(ParamSet, RejectsMisuse) {
  ParamSet params;
  EXPECT_THROW(params.add("W1", 0, 3, ParamKind::Weight), ShapeError);
  EXPECT_THROW(params.add("W1", 3, 0, ParamKind::Weight), ShapeError);
  params.add("W1", 2, 3, ParamKind::Weight);
  EXPECT_THROW(params.add("W1", 2, 3, ParamKind::Weight), ConfigError) << "duplicate name";
  EXPECT_THROW(params.value(0), ConfigError) << "view before allocate()";
  params.allocate();
  try {
    params.add("b1", 1, 3, ParamKind::Bias);
    ADD_FAILURE() << "add() after allocate() was accepted";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "ParamSet::add: 'b1' added after allocate()");
  }
  EXPECT_THROW(params.allocate(), ConfigError);
  EXPECT_THROW(params.value(1), ShapeError);
  EXPECT_THROW(params.grad(7), ShapeError);
  ParamSet empty;
  EXPECT_THROW(empty.allocate(), ShapeError);
}

}  // namespace
}  // namespace descent

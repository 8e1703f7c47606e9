// Max pooling: the forward pass against the definition in double, padded
// cells that never win, ties, and the backward pass against centered
// differences of the double computation.
#include "descent/nn/max_pool.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "nn/gradient_check.hpp"

namespace descent {
namespace {

struct PoolCase {
  std::string name;
  ImageShape input;
  std::size_t kernel;
  std::size_t stride;
  Padding padding;
  std::size_t pad;
  ImageShape expected_output;
};

void PrintTo(const PoolCase& c, std::ostream* out) { *out << c.name; }

LayerSpec spec_of(const PoolCase& c) {
  LayerSpec spec = LayerSpec::max_pool(c.kernel, c.stride, c.padding);
  spec.pad = c.pad;
  return spec;
}

// out[i, c, oy, ox] = max of x[i, c, oy s + u - pt, ox s + v - pl] over the cells in the image.
std::vector<double> reference_pool(const std::vector<double>& x, std::size_t n, const PoolCase& c) {
  const WindowSize rows = window_size(c.input.height, c.kernel, c.stride, c.padding, c.pad);
  const WindowSize cols = window_size(c.input.width, c.kernel, c.stride, c.padding, c.pad);
  const ImageShape& in = c.input;
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t ch = 0; ch < in.channels; ++ch) {
      for (std::size_t oy = 0; oy < rows.out; ++oy) {
        for (std::size_t ox = 0; ox < cols.out; ++ox) {
          double best = -std::numeric_limits<double>::infinity();
          for (std::size_t u = 0; u < c.kernel; ++u) {
            for (std::size_t v = 0; v < c.kernel; ++v) {
              const auto y = static_cast<std::ptrdiff_t>(oy * c.stride + u) -
                             static_cast<std::ptrdiff_t>(rows.pad_before);
              const auto xx = static_cast<std::ptrdiff_t>(ox * c.stride + v) -
                              static_cast<std::ptrdiff_t>(cols.pad_before);
              if (y < 0 || xx < 0 || y >= static_cast<std::ptrdiff_t>(in.height) ||
                  xx >= static_cast<std::ptrdiff_t>(in.width)) {
                continue;
              }
              best = std::max(best, x[i * in.size() + (ch * in.height + static_cast<std::size_t>(y)) *
                                                          in.width +
                                      static_cast<std::size_t>(xx)]);
            }
          }
          out.push_back(best);
        }
      }
    }
  }
  return out;
}

class PoolGradient : public ::testing::TestWithParam<PoolCase> {};

// Inputs are a shuffled grid of values 0.01 apart, all negative so that a
// padded zero would win if padding took part; steps of 1e-4 change no
// window's winner, so the centered differences are exact but for rounding.
TEST_P(PoolGradient, MatchesTheDefinitionAndCenteredDifferences) {
  const PoolCase& c = GetParam();
  MaxPool2d layer("pool1", c.input, spec_of(c));
  ASSERT_EQ(layer.output_shape(), c.expected_output);
  const std::size_t n = 2;
  const std::size_t size = n * c.input.size();
  std::vector<std::uint32_t> order(size);
  for (std::size_t k = 0; k < size; ++k) order[k] = static_cast<std::uint32_t>(k);
  Rng rng(4);
  rng.shuffle(order);
  Matrix x(n, static_cast<Eigen::Index>(c.input.size()));
  for (std::size_t k = 0; k < size; ++k) x.data()[k] = -1.0f - 0.01f * static_cast<float>(order[k]);
  const Matrix r = test::random_matrix(n, static_cast<Eigen::Index>(c.expected_output.size()), rng);

  Matrix out;
  layer.forward(x, out);
  std::vector<double> xd(x.data(), x.data() + size);
  const std::vector<double> expected = reference_pool(xd, n, c);
  ASSERT_EQ(static_cast<std::size_t>(out.size()), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(out.data()[k], static_cast<float>(expected[k])) << "out[" << k << "]";
  }

  Matrix dx;
  layer.backward(r, dx);
  const auto loss = [&] {
    const std::vector<double> o = reference_pool(xd, n, c);
    double sum = 0.0;
    for (std::size_t k = 0; k < o.size(); ++k) sum += o[k] * static_cast<double>(r.data()[k]);
    return sum;
  };
  for (std::size_t k = 0; k < size; ++k) {
    const double old = xd[k];
    xd[k] = old + 1e-4;
    const double plus = loss();
    xd[k] = old - 1e-4;
    const double minus = loss();
    xd[k] = old;
    const double numeric = (plus - minus) / 2e-4;
    EXPECT_NEAR(dx.data()[k], numeric, 1e-6 * (1.0 + std::abs(numeric))) << "dx[" << k << "]";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Geometries, PoolGradient,
    ::testing::Values(
        // 2x2 stride 2 on even sides: no padding (2c2d's pools on 28 and 14)
        PoolCase{"same2x2even", {2, 6, 4}, 2, 2, Padding::same, 0, {2, 3, 2}},
        // 7 -> 4, padding (4 - 1) 2 + 2 - 7 = 1, after; 5 -> 3, 1 after
        PoolCase{"same2x2odd", {1, 7, 5}, 2, 2, Padding::same, 0, {1, 4, 3}},
        // 3x3 stride 2 (3c3d's pools): 28 -> 14, padding 13 * 2 + 3 - 28 = 1, after;
        // windows overlap, so a cell can win twice
        PoolCase{"same3x3stride2", {2, 8, 6}, 3, 2, Padding::same, 0, {2, 4, 3}},
        // 6 -> 3, padding (3 - 1) 2 + 3 - 6 = 1: 0 before, 1 after
        PoolCase{"same3x3stride2even", {1, 6, 6}, 3, 2, Padding::same, 0, {1, 3, 3}},
        // (7 - 3) / 2 + 1 = 3, (6 - 3) / 2 + 1 = 2
        PoolCase{"valid3x3stride2", {2, 7, 6}, 3, 2, Padding::valid, 0, {2, 3, 2}},
        // PyTorch's padding=1: (5 + 2 - 3) / 2 + 1 = 3
        PoolCase{"pad1", {2, 5, 5}, 3, 2, Padding::explicit_pixels, 1, {2, 3, 3}}));

// PyTorch sends the gradient of a tie to the first cell in row-major order.
TEST(MaxPool2d, TiesGoToTheFirstCell) {
  MaxPool2d layer("pool1", {1, 2, 2}, LayerSpec::max_pool(2, 2, Padding::valid));
  Matrix x(1, 4);
  x << 0.0f, 3.0f, 3.0f, 1.0f;
  Matrix out;
  layer.forward(x, out);
  EXPECT_EQ(out(0, 0), 3.0f);
  Matrix dout(1, 1);
  dout << 2.0f;
  Matrix dx;
  layer.backward(dout, dx);
  Matrix expected(1, 4);
  expected << 0.0f, 2.0f, 0.0f, 0.0f;
  EXPECT_EQ(dx, expected);
}

TEST(MaxPool2d, RejectsAWindowThatDoesNotFit) {
  try {
    MaxPool2d("pool2", {4, 2, 2}, LayerSpec::max_pool(3, 1, Padding::valid));
    ADD_FAILURE() << "accepted a 3x3 valid pool on 2x2";
  } catch (const ShapeError& e) {
    EXPECT_EQ(std::string(e.what()), "pool2: a 3x3 max pool does not fit its 4x2x2 input");
  }
}

}  // namespace
}  // namespace descent

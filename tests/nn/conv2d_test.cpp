// Convolution: the forward pass against the formula evaluated in double, the
// backward pass against centered differences of that double computation, and
// a layer large enough to run in several groups against the gradient
// formulas summed in double.
#include "descent/nn/conv2d.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/threads.hpp"
#include "nn/gradient_check.hpp"

namespace descent {
namespace {

using VectorD = std::vector<double>;

struct ConvCase {
  std::string name;
  ImageShape input;
  std::size_t filters;
  std::size_t kernel;
  std::size_t stride;
  Padding padding;
  std::size_t pad;
  ImageShape expected_output;  // worked out by hand from the padding rules
};

void PrintTo(const ConvCase& c, std::ostream* out) { *out << c.name; }

LayerSpec spec_of(const ConvCase& c) {
  LayerSpec spec = LayerSpec::conv(c.filters, c.kernel, c.padding, c.stride);
  spec.pad = c.pad;
  return spec;
}

// The convolution from its definition, in double, with the padding before the
// rows and columns given: out (n, F Ho Wo).
struct ReferenceConv {
  ImageShape in;
  ImageShape out;
  std::size_t kernel;
  std::size_t stride;
  std::ptrdiff_t pad_top;
  std::ptrdiff_t pad_left;

  double input(const VectorD& x, std::size_t i, std::size_t c, std::ptrdiff_t y,
               std::ptrdiff_t xx) const {
    if (y < 0 || xx < 0 || y >= static_cast<std::ptrdiff_t>(in.height) ||
        xx >= static_cast<std::ptrdiff_t>(in.width)) {
      return 0.0;
    }
    return x[i * in.size() + (c * in.height + static_cast<std::size_t>(y)) * in.width +
             static_cast<std::size_t>(xx)];
  }

  // out[i, f, oy, ox] = b[f] + sum_{c,u,v} W[f, (c,u,v)] x[i, c, oy s + u - pt, ox s + v - pl]
  VectorD forward(const VectorD& x, const VectorD& w, const VectorD& b, std::size_t n) const {
    VectorD result(n * out.size());
    const std::size_t patch = in.channels * kernel * kernel;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t f = 0; f < out.channels; ++f) {
        for (std::size_t oy = 0; oy < out.height; ++oy) {
          for (std::size_t ox = 0; ox < out.width; ++ox) {
            double sum = b[f];
            for (std::size_t c = 0; c < in.channels; ++c) {
              for (std::size_t u = 0; u < kernel; ++u) {
                for (std::size_t v = 0; v < kernel; ++v) {
                  const auto y = static_cast<std::ptrdiff_t>(oy * stride + u) - pad_top;
                  const auto xx = static_cast<std::ptrdiff_t>(ox * stride + v) - pad_left;
                  sum += w[f * patch + (c * kernel + u) * kernel + v] * input(x, i, c, y, xx);
                }
              }
            }
            result[i * out.size() + (f * out.height + oy) * out.width + ox] = sum;
          }
        }
      }
    }
    return result;
  }
};

VectorD to_double(const float* data, std::size_t size) { return VectorD(data, data + size); }

double max_abs(const VectorD& v) {
  double m = 0.0;
  for (const double e : v) m = std::max(m, std::abs(e));
  return m;
}

double weighted(const VectorD& out, const Matrix& r, bool relu) {
  double sum = 0.0;
  for (std::size_t k = 0; k < out.size(); ++k) {
    sum += (relu ? std::max(out[k], 0.0) : out[k]) * static_cast<double>(r.data()[k]);
  }
  return sum;
}

// ||a - n|| / ||n|| over a whole tensor, a in float.
double relative_error(const float* analytic, const VectorD& numeric) {
  double diff = 0.0;
  double norm = 0.0;
  for (std::size_t k = 0; k < numeric.size(); ++k) {
    diff += std::pow(static_cast<double>(analytic[k]) - numeric[k], 2);
    norm += numeric[k] * numeric[k];
  }
  return std::sqrt(diff / norm);
}

// Centered differences of f with respect to v in double. f is linear in each
// entry (or piecewise linear, away from relu's kink), so the difference is
// exact but for rounding: about 1e-16 / h relative.
template <typename F>
VectorD centered(VectorD& v, F&& f) {
  constexpr double h = 1e-4;
  VectorD grad(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    const double old = v[k];
    v[k] = old + h;
    const double plus = f();
    v[k] = old - h;
    const double minus = f();
    v[k] = old;
    grad[k] = (plus - minus) / (2 * h);
  }
  return grad;
}

class ConvGradient : public ::testing::TestWithParam<ConvCase> {};

// The float layer against the double reference: forward to float rounding,
// and every gradient (dW, db, dx; without and with the fused relu) within
// 1e-6 relative error of centered differences, in the norm of the tensor.
// A gradient with one index off, or a padding on the wrong side, is off by
// far more.
TEST_P(ConvGradient, MatchesCenteredDifferencesOfADoubleReference) {
  const ConvCase& c = GetParam();
  ParamSet params;
  Conv2d layer(params, "conv1", c.input, spec_of(c));
  params.allocate();
  ASSERT_EQ(layer.output_shape(), c.expected_output);
  EXPECT_EQ(params.entries()[layer.weight_id()].name, "conv1.W");
  EXPECT_EQ(params.entries()[layer.weight_id()].kind, ParamKind::Weight);
  EXPECT_EQ(params.entries()[layer.weight_id()].rows, c.filters);
  EXPECT_EQ(params.entries()[layer.weight_id()].cols, c.input.channels * c.kernel * c.kernel);
  EXPECT_EQ(params.entries()[layer.bias_id()].name, "conv1.b");
  EXPECT_EQ(params.entries()[layer.bias_id()].kind, ParamKind::Bias);

  const std::size_t n = 3;
  Rng rng(17);
  params.value(layer.weight_id()) = test::random_matrix(
      static_cast<Eigen::Index>(c.filters),
      static_cast<Eigen::Index>(c.input.channels * c.kernel * c.kernel), rng, 0.5);
  params.value(layer.bias_id()) =
      test::random_matrix(1, static_cast<Eigen::Index>(c.filters), rng, 0.5);
  Matrix x = test::random_matrix(n, static_cast<Eigen::Index>(c.input.size()), rng);
  const Matrix r = test::random_matrix(n, static_cast<Eigen::Index>(c.expected_output.size()), rng);

  const WindowSize rows = window_size(c.input.height, c.kernel, c.stride, c.padding, c.pad);
  const WindowSize cols = window_size(c.input.width, c.kernel, c.stride, c.padding, c.pad);
  const ReferenceConv reference{c.input,
                                c.expected_output,
                                c.kernel,
                                c.stride,
                                static_cast<std::ptrdiff_t>(rows.pad_before),
                                static_cast<std::ptrdiff_t>(cols.pad_before)};
  VectorD w = to_double(params.value(layer.weight_id()).data(), params.entries()[0].size());
  VectorD b = to_double(params.value(layer.bias_id()).data(), c.filters);
  VectorD xd = to_double(x.data(), static_cast<std::size_t>(x.size()));

  const VectorD expected = reference.forward(xd, w, b, n);
  for (const bool relu : {false, true}) {
    SCOPED_TRACE(relu ? "fused relu" : "no relu");
    Matrix out;
    layer.forward(params, x, out, relu);
    ASSERT_EQ(static_cast<std::size_t>(out.size()), expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      const double want = relu ? std::max(expected[k], 0.0) : expected[k];
      ASSERT_NEAR(out.data()[k], want, 1e-5 * (1.0 + std::abs(want))) << "out[" << k << "]";
    }
    if (relu) {
      // A step of 1e-4 in one of x, W, b moves a pre-activation by at most
      // 1e-4 * max(|x|, |W|, 1); none may cross relu's kink.
      double closest = 1.0;
      for (const double z : expected) closest = std::min(closest, std::abs(z));
      const double reach = 1e-4 * std::max({static_cast<double>(x.cwiseAbs().maxCoeff()),
                                            max_abs(w), 1.0});
      ASSERT_GT(closest, reach);
    }

    Matrix dout = r;
    Matrix dx;
    layer.backward(params, x, out, dout, &dx, relu);
    const auto loss = [&] { return weighted(reference.forward(xd, w, b, n), r, relu); };
    EXPECT_LT(relative_error(params.grad(layer.weight_id()).data(), centered(w, loss)), 1e-6);
    EXPECT_LT(relative_error(params.grad(layer.bias_id()).data(), centered(b, loss)), 1e-6);
    EXPECT_LT(relative_error(dx.data(), centered(xd, loss)), 1e-6);

    // Without dx, the same parameter gradients.
    const Matrix dw = params.grad(layer.weight_id());
    params.zero_grads();
    dout = r;
    layer.backward(params, x, out, dout, nullptr, relu);
    EXPECT_EQ(Matrix(params.grad(layer.weight_id())), dw);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Geometries, ConvGradient,
    ::testing::Values(
        // 7 -> ceil(7 / 1) = 7, padding 2 in all: 1 before, 1 after
        ConvCase{"same3x3", {2, 7, 6}, 3, 3, 1, Padding::same, 0, {3, 7, 6}},
        // 7 -> 4 rows, padding (4 - 1) 2 + 3 - 7 = 2: 1 before; 6 -> 3 columns,
        // padding (3 - 1) 2 + 3 - 6 = 1: 0 before, 1 after
        ConvCase{"same3x3stride2", {2, 7, 6}, 2, 3, 2, Padding::same, 0, {2, 4, 3}},
        // 6 -> ceil(6 / 2) = 3, padding (3 - 1) 2 + 4 - 6 = 2: 1 before
        ConvCase{"same4x4stride2", {1, 6, 6}, 2, 4, 2, Padding::same, 0, {2, 3, 3}},
        // (7 - 3) / 1 + 1 = 5, (6 - 3) / 1 + 1 = 4
        ConvCase{"valid3x3", {3, 7, 6}, 2, 3, 1, Padding::valid, 0, {2, 5, 4}},
        // (7 - 2) / 2 + 1 = 3, (6 - 2) / 2 + 1 = 3
        ConvCase{"valid2x2stride2", {2, 7, 6}, 3, 2, 2, Padding::valid, 0, {3, 3, 3}},
        // (7 + 2 - 3) / 2 + 1 = 4, (6 + 2 - 3) / 2 + 1 = 3
        ConvCase{"pad1stride2", {2, 7, 6}, 2, 3, 2, Padding::explicit_pixels, 1, {2, 4, 3}},
        // 5x5 over 3 channels: (8 - 5) + 1 = 4, (5 - 5) + 1 = 1
        ConvCase{"valid5x5", {3, 8, 5}, 2, 5, 1, Padding::valid, 0, {2, 4, 1}},
        // 1x1: a dense layer over the channels at every pixel
        ConvCase{"pointwise", {4, 3, 2}, 3, 1, 1, Padding::valid, 0, {3, 3, 2}}));

// 8 channels of 28x28 with 5x5 kernels: 627 KB of columns per image, so a
// batch of 7 runs in groups of 3, 3 and 1. The gradients against their
// formulas summed in double:
//   dW[f, (c,u,v)] = sum_{i,oy,ox} dout[i, f, oy, ox] x[i, c, oy + u - 2, ox + v - 2]
//   db[f] = sum_{i,oy,ox} dout[i, f, oy, ox]
//   dx[i, c, y, x] = sum_{f,u,v} dout[i, f, y - u + 2, x - v + 2] W[f, (c,u,v)]
TEST(Conv2d, RunsLargeBatchesInGroupsWithTheSameResults) {
  const ImageShape input{8, 28, 28};
  ParamSet params;
  Conv2d layer(params, "conv1", input, LayerSpec::conv(2, 5, Padding::same));
  params.allocate();
  const std::size_t image_bytes = 8 * 25 * 28 * 28 * sizeof(float);
  ASSERT_EQ(Conv2d::kGroupBytes / image_bytes, 3u) << "the test wants groups of 3 images";

  Rng rng(5);
  params.value(layer.weight_id()) = test::random_matrix(2, 200, rng, 0.2);
  params.value(layer.bias_id()) = test::random_matrix(1, 2, rng);
  const std::size_t n = 7;
  const Matrix x = test::random_matrix(n, static_cast<Eigen::Index>(input.size()), rng);
  const Matrix r = test::random_matrix(n, 2 * 28 * 28, rng);
  const ReferenceConv reference{input, {2, 28, 28}, 5, 1, 2, 2};
  const VectorD w = to_double(params.value(layer.weight_id()).data(), 400);
  const VectorD b = to_double(params.value(layer.bias_id()).data(), 2);
  const VectorD xd = to_double(x.data(), static_cast<std::size_t>(x.size()));

  Matrix out;
  layer.forward(params, x, out, false);
  const VectorD expected = reference.forward(xd, w, b, n);
  for (std::size_t k = 0; k < expected.size(); ++k) {
    ASSERT_NEAR(out.data()[k], expected[k], 1e-5 * (1.0 + std::abs(expected[k]))) << k;
  }
  Matrix dout = r;
  Matrix dx;
  layer.backward(params, x, out, dout, &dx, false);

  VectorD dw(400, 0.0);
  VectorD db(2, 0.0);
  VectorD dxd(xd.size(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t f = 0; f < 2; ++f) {
      for (std::size_t oy = 0; oy < 28; ++oy) {
        for (std::size_t ox = 0; ox < 28; ++ox) {
          const double g = r(static_cast<Eigen::Index>(i),
                             static_cast<Eigen::Index>((f * 28 + oy) * 28 + ox));
          db[f] += g;
          for (std::size_t c = 0; c < 8; ++c) {
            for (std::size_t u = 0; u < 5; ++u) {
              for (std::size_t v = 0; v < 5; ++v) {
                const auto y = static_cast<std::ptrdiff_t>(oy + u) - 2;
                const auto xx = static_cast<std::ptrdiff_t>(ox + v) - 2;
                if (y < 0 || xx < 0 || y >= 28 || xx >= 28) continue;
                const std::size_t at = i * input.size() +
                                       (c * 28 + static_cast<std::size_t>(y)) * 28 +
                                       static_cast<std::size_t>(xx);
                dw[f * 200 + (c * 5 + u) * 5 + v] += g * xd[at];
                dxd[at] += g * w[f * 200 + (c * 5 + u) * 5 + v];
              }
            }
          }
        }
      }
    }
  }
  EXPECT_LT(relative_error(params.grad(layer.weight_id()).data(), dw), 1e-6);
  EXPECT_LT(relative_error(params.grad(layer.bias_id()).data(), db), 1e-6);
  EXPECT_LT(relative_error(dx.data(), dxd), 1e-6);
}

// Threads take whole groups: the output and dx are the same bits for any
// thread count, and dW and db, summed per thread, the same to rounding.
TEST(Conv2d, ThreadCountsChangeNoOutputAndOnlyTheRoundingOfSums) {
  const ImageShape input{8, 28, 28};
  ParamSet params;
  Conv2d layer(params, "conv1", input, LayerSpec::conv(4, 5, Padding::same));
  params.allocate();
  Rng rng(6);
  params.value(layer.weight_id()) = test::random_matrix(4, 200, rng, 0.2);
  const Matrix x = test::random_matrix(10, static_cast<Eigen::Index>(input.size()), rng);
  const Matrix r = test::random_matrix(10, 4 * 28 * 28, rng);
  struct Result {
    Matrix out, dx, dw, db;
  };
  const auto run = [&](int threads) {
    set_num_threads(threads);
    Result result;
    layer.forward(params, x, result.out, true);
    Matrix dout = r;
    layer.backward(params, x, result.out, dout, &result.dx, true);
    result.dw = params.grad(layer.weight_id());
    result.db = params.grad(layer.bias_id());
    return result;
  };
  const Result one = run(1);
  for (const int threads : {2, 3}) {
    const Result many = run(threads);
    EXPECT_EQ(many.out, one.out) << threads;
    EXPECT_EQ(many.dx, one.dx) << threads;
    EXPECT_TRUE(many.dw.isApprox(one.dw, 1e-5f)) << threads;
    EXPECT_TRUE(many.db.isApprox(one.db, 1e-6f)) << threads;
  }
  set_num_threads(1);
}

TEST(Conv2d, RejectsAKernelThatDoesNotFit) {
  ParamSet params;
  try {
    Conv2d(params, "conv3", {96, 3, 3}, LayerSpec::conv(128, 5, Padding::valid));
    ADD_FAILURE() << "accepted a 5x5 valid conv on 3x3";
  } catch (const ShapeError& e) {
    EXPECT_EQ(std::string(e.what()), "conv3: a 5x5 conv does not fit its 96x3x3 input");
  }
}

}  // namespace
}  // namespace descent

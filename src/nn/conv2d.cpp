// 2-D convolution by im2col and GEMM.
#include "descent/nn/conv2d.hpp"

#include <omp.h>

#include <algorithm>
#include <utility>

#include "descent/core/error.hpp"

namespace descent {

namespace {

std::ptrdiff_t as_signed(std::size_t v) { return static_cast<std::ptrdiff_t>(v); }

// The range [lo, hi) of outputs o whose input o * stride + offset lies in [0, in).
struct Valid {
  std::size_t lo;
  std::size_t hi;
};
Valid valid_outputs(std::ptrdiff_t offset, std::size_t stride, std::size_t in, std::size_t out) {
  const auto s = as_signed(stride);
  std::ptrdiff_t lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
  std::ptrdiff_t hi = as_signed(in) - offset <= 0 ? 0 : (as_signed(in) - offset + s - 1) / s;
  lo = std::min(lo, as_signed(out));
  hi = std::clamp(hi, lo, as_signed(out));
  return {static_cast<std::size_t>(lo), static_cast<std::size_t>(hi)};
}

}  // namespace

Conv2d::Conv2d(ParamSet& params, const std::string& name, const ImageShape& input,
               const LayerSpec& spec)
    : in_(input),
      window_(layer_window(name, input, spec)),
      out_{spec.units, window_.out_height, window_.out_width},
      w_(params.add(name + ".W", spec.units, input.channels * spec.kernel * spec.kernel,
                    ParamKind::Weight)),
      b_(params.add(name + ".b", 1, spec.units, ParamKind::Bias)) {
  const std::size_t image_bytes =
      in_.channels * window_.kernel * window_.kernel * out_.height * out_.width * sizeof(float);
  group_ = std::max<std::size_t>(1, kGroupBytes / image_bytes);
}

double Conv2d::fan_in() const { return static_cast<double>(in_.channels * window_.kernel * window_.kernel); }
double Conv2d::fan_out() const { return static_cast<double>(out_.channels * window_.kernel * window_.kernel); }

Conv2d::Workspace Conv2d::workspace(int thread) {
  const std::size_t pixels = out_.height * out_.width;
  const std::size_t patch = in_.channels * window_.kernel * window_.kernel;
  const std::size_t cols = patch * group_ * pixels;
  const std::size_t y = out_.channels * group_ * pixels;
  const std::size_t dw = out_.channels * patch;
  const auto t = static_cast<std::size_t>(thread);
  return {cols_.data() + t * cols, y_.data() + t * y, dw_.data() + t * dw,
          db_.data() + t * out_.channels};
}

void Conv2d::reserve(int threads) {
  const std::size_t pixels = out_.height * out_.width;
  const std::size_t patch = in_.channels * window_.kernel * window_.kernel;
  const auto t = static_cast<std::size_t>(threads);
  const auto grow = [](auto& buffer, std::size_t size) {
    if (buffer.size() < size) buffer.resize(size);
  };
  grow(cols_, t * patch * group_ * pixels);
  grow(y_, t * out_.channels * group_ * pixels);
  grow(dw_, t * out_.channels * patch);
  grow(db_, t * out_.channels);
}

// X_col[(c, u, v), j P + oy Wo + ox] = x[first + j, c, oy s + u - pt, ox s + v - pl], 0 outside.
void Conv2d::im2col(const Eigen::Ref<const Matrix>& x, std::size_t first, std::size_t count,
                    float* cols) const {
  const std::size_t pixels = out_.height * out_.width;
  const std::size_t ld = count * pixels;
  for (std::size_t j = 0; j < count; ++j) {
    const float* sample = x.row(static_cast<Eigen::Index>(first + j)).data();
    for (std::size_t c = 0; c < in_.channels; ++c) {
      const float* image = sample + c * in_.height * in_.width;
      for (std::size_t u = 0; u < window_.kernel; ++u) {
        for (std::size_t v = 0; v < window_.kernel; ++v) {
          float* dst = cols + ((c * window_.kernel + u) * window_.kernel + v) * ld + j * pixels;
          im2col_row(image, u, v, dst);
        }
      }
    }
  }
}

// One row (c, u, v) of X_col for one image: dst[oy Wo + ox] = image[oy s + u - pt, ox s + v - pl].
void Conv2d::im2col_row(const float* image, std::size_t u, std::size_t v, float* dst) const {
  const std::size_t pixels = out_.height * out_.width;
  const std::ptrdiff_t row_offset = as_signed(u) - as_signed(window_.pad_top);
  const std::ptrdiff_t col_offset = as_signed(v) - as_signed(window_.pad_left);
  const Valid ys = valid_outputs(row_offset, window_.stride, in_.height, out_.height);
  const Valid xs = valid_outputs(col_offset, window_.stride, in_.width, out_.width);
  std::fill(dst, dst + ys.lo * out_.width, 0.0f);
  std::fill(dst + ys.hi * out_.width, dst + pixels, 0.0f);
  if (ys.lo == ys.hi) return;
  if (window_.stride == 1 && in_.width == out_.width) {
    // Stride 1, rows as wide as the input's ("same"): the valid rows are one
    // shifted copy of the channel, whose cells past a row's end wrap into the
    // next row; those columns are then set to 0.
    const std::size_t first_cell = ys.lo * out_.width + xs.lo;
    const std::size_t last_cell = (ys.hi - 1) * out_.width + xs.hi;
    const float* src =
        image + as_signed(first_cell) + row_offset * as_signed(in_.width) + col_offset;
    std::copy(src, src + (last_cell - first_cell), dst + first_cell);
    for (std::size_t oy = ys.lo; oy < ys.hi; ++oy) {
      float* d = dst + oy * out_.width;
      for (std::size_t ox = 0; ox < xs.lo; ++ox) d[ox] = 0.0f;
      for (std::size_t ox = xs.hi; ox < out_.width; ++ox) d[ox] = 0.0f;
    }
    return;
  }
  for (std::size_t oy = ys.lo; oy < ys.hi; ++oy) {
    const float* src =
        image + static_cast<std::size_t>(as_signed(oy * window_.stride) + row_offset) * in_.width;
    float* d = dst + oy * out_.width;
    for (std::size_t ox = 0; ox < xs.lo; ++ox) d[ox] = 0.0f;
    if (window_.stride == 1) {
      std::copy(src + as_signed(xs.lo) + col_offset, src + as_signed(xs.hi) + col_offset,
                d + xs.lo);
    } else {
      for (std::size_t ox = xs.lo; ox < xs.hi; ++ox) d[ox] = src[as_signed(ox * window_.stride) + col_offset];
    }
    for (std::size_t ox = xs.hi; ox < out_.width; ++ox) d[ox] = 0.0f;
  }
}

// dx[first + j, c, oy s + u - pt, ox s + v - pl] += dX_col[(c, u, v), j P + oy Wo + ox],
// each channel summed over (u, v) in a fixed order.
void Conv2d::col2im(const float* cols, std::size_t first, std::size_t count, Matrix& dx) const {
  const std::size_t pixels = out_.height * out_.width;
  const std::size_t ld = count * pixels;
  const std::size_t plane = in_.height * in_.width;
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t c = 0; c < in_.channels; ++c) {
      float* image = dx.row(static_cast<Eigen::Index>(first + j)).data() + c * plane;
      std::fill(image, image + plane, 0.0f);
      for (std::size_t u = 0; u < window_.kernel; ++u) {
        for (std::size_t v = 0; v < window_.kernel; ++v) {
          const float* src = cols + ((c * window_.kernel + u) * window_.kernel + v) * ld + j * pixels;
          const std::ptrdiff_t row_offset = as_signed(u) - as_signed(window_.pad_top);
          const std::ptrdiff_t col_offset = as_signed(v) - as_signed(window_.pad_left);
          const Valid ys = valid_outputs(row_offset, window_.stride, in_.height, out_.height);
          const Valid xs = valid_outputs(col_offset, window_.stride, in_.width, out_.width);
          for (std::size_t oy = ys.lo; oy < ys.hi; ++oy) {
            float* d =
                image + static_cast<std::size_t>(as_signed(oy * window_.stride) + row_offset) * in_.width;
            const float* s = src + oy * out_.width;
            if (window_.stride == 1) {
              float* d1 = d + col_offset;
              for (std::size_t ox = xs.lo; ox < xs.hi; ++ox) d1[ox] += s[ox];
            } else {
              for (std::size_t ox = xs.lo; ox < xs.hi; ++ox) {
                d[as_signed(ox * window_.stride) + col_offset] += s[ox];
              }
            }
          }
        }
      }
    }
  }
}

// Per group: Y = W X_col, then out[i, f, p] = Y[f, j P + p] + b[f] (and max with 0).
void Conv2d::forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Matrix& out,
                     bool relu) {
  const auto n = static_cast<std::size_t>(x.rows());
  const std::size_t pixels = out_.height * out_.width;
  const std::size_t patch = in_.channels * window_.kernel * window_.kernel;
  const std::size_t filters = out_.channels;
  const ConstMatrixMap w = params.value(w_);  // (F, C k k)
  const float* b = params.value(b_).data();   // (F)
  out.resize(x.rows(), static_cast<Eigen::Index>(out_.size()));  // (n, F Ho Wo)
  const auto groups = static_cast<std::ptrdiff_t>((n + group_ - 1) / group_);
  reserve(omp_get_max_threads());
#pragma omp parallel
  {
    const Workspace work = workspace(omp_get_thread_num());
#pragma omp for schedule(static)
    for (std::ptrdiff_t g = 0; g < groups; ++g) {
      const std::size_t first = static_cast<std::size_t>(g) * group_;
      const std::size_t count = std::min(group_, n - first);
      const auto m = static_cast<Eigen::Index>(count * pixels);
      im2col(x, first, count, work.cols);
      MatrixMap y(work.y, static_cast<Eigen::Index>(filters), m);  // (F, m P)
      y.noalias() = w * ConstMatrixMap(work.cols, static_cast<Eigen::Index>(patch), m);
      for (std::size_t j = 0; j < count; ++j) {
        for (std::size_t f = 0; f < filters; ++f) {
          const float* src = work.y + f * count * pixels + j * pixels;
          float* dst = out.row(static_cast<Eigen::Index>(first + j)).data() + f * pixels;
          const float bias = b[f];
          if (relu) {
            for (std::size_t p = 0; p < pixels; ++p) dst[p] = std::max(src[p] + bias, 0.0f);
          } else {
            for (std::size_t p = 0; p < pixels; ++p) dst[p] = src[p] + bias;
          }
        }
      }
    }
  }
}

// Per group: dY[f, j P + p] = dout[i, f, p] (masked by out > 0 with relu),
// db += sum of dY's columns, dW += dY X_col^T, dX_col = W^T dY, then col2im.
// Thread t sums dW and db over its groups (statically assigned); the threads'
// sums are added in thread order.
void Conv2d::backward(ParamSet& params, const Eigen::Ref<const Matrix>& x, const Matrix& out,
                      Matrix& dout, Matrix* dx, bool relu) {
  const auto n = static_cast<std::size_t>(x.rows());
  const std::size_t pixels = out_.height * out_.width;
  const std::size_t patch = in_.channels * window_.kernel * window_.kernel;
  const std::size_t filters = out_.channels;
  const ConstMatrixMap w = std::as_const(params).value(w_);  // (F, C k k)
  if (dx != nullptr) dx->resize(x.rows(), static_cast<Eigen::Index>(in_.size()));
  const auto groups = static_cast<std::ptrdiff_t>((n + group_ - 1) / group_);
  reserve(omp_get_max_threads());
  int threads = 1;
#pragma omp parallel
  {
    const Workspace work = workspace(omp_get_thread_num());
#pragma omp single
    threads = omp_get_num_threads();
    MatrixMap dw(work.dw, static_cast<Eigen::Index>(filters), static_cast<Eigen::Index>(patch));
    dw.setZero();
    std::fill(work.db, work.db + filters, 0.0);
#pragma omp for schedule(static)
    for (std::ptrdiff_t g = 0; g < groups; ++g) {
      const std::size_t first = static_cast<std::size_t>(g) * group_;
      const std::size_t count = std::min(group_, n - first);
      const auto m = static_cast<Eigen::Index>(count * pixels);
      for (std::size_t j = 0; j < count; ++j) {
        const auto row = static_cast<Eigen::Index>(first + j);
        for (std::size_t f = 0; f < filters; ++f) {
          float* src = dout.row(row).data() + f * pixels;
          float* dst = work.y + f * count * pixels + j * pixels;
          if (relu) {
            const float* h = out.row(row).data() + f * pixels;
            for (std::size_t p = 0; p < pixels; ++p) src[p] = h[p] > 0.0f ? src[p] : 0.0f;
          }
          // Each bias sums n Ho Wo terms (thousands): in double, as float would lose digits.
          double sum = 0.0;
          for (std::size_t p = 0; p < pixels; ++p) {
            dst[p] = src[p];
            sum += src[p];
          }
          work.db[f] += sum;
        }
      }
      const ConstMatrixMap dy(work.y, static_cast<Eigen::Index>(filters), m);  // (F, m P)
      im2col(x, first, count, work.cols);
      MatrixMap cols(work.cols, static_cast<Eigen::Index>(patch), m);  // (C k k, m P)
      dw.noalias() += dy * cols.transpose();
      if (dx != nullptr) {
        cols.noalias() = w.transpose() * dy;
        col2im(work.cols, first, count, *dx);
      }
    }
  }
  MatrixMap dw = params.grad(w_);  // (F, C k k)
  MatrixMap db = params.grad(b_);  // (1, F)
  dw = ConstMatrixMap(workspace(0).dw, dw.rows(), dw.cols());
  for (std::size_t f = 0; f < filters; ++f) {
    double sum = 0.0;
    for (int t = 0; t < threads; ++t) sum += workspace(t).db[f];
    db(0, static_cast<Eigen::Index>(f)) = static_cast<float>(sum);
  }
  for (int t = 1; t < threads; ++t) {
    dw += ConstMatrixMap(workspace(t).dw, dw.rows(), dw.cols());
  }
}

}  // namespace descent

// 2-D convolution (cross-correlation, as in PyTorch and TensorFlow) of a batch
// of images x (n, C*H*W), stored NCHW, with F filters of k x k:
//   out[i, f, oy, ox] = b[f] + sum_{c, u, v} W[f, (c, u, v)] x[i, c, oy s + u - pt, ox s + v - pl]
// where s is the stride, (pt, pl) the padding before the rows and columns
// (layer_spec.hpp) and x is 0 outside the image; out is (n, F*Ho*Wo), NCHW.
//
// Lowering (im2col, as cs231n's conv_forward_im2col and Caffe): the patches of
// a group of images are laid out as the columns of a matrix X_col
// (C k k, m Ho Wo), and then, with Y (F, m Ho Wo) and the upstream gradient
// dY in the same layout,
//   forward   Y = W X_col + b                      (one GEMM per group)
//   backward  dW += dY X_col^T,  db = sum over columns of dY
//             dX_col = W^T dY, then col2im adds each column back into dx
// Groups hold as many images as keep X_col near kGroupBytes, so that it stays
// in cache between im2col, which writes it, and the GEMM that reads it; the
// backward pass rebuilds X_col rather than keep it for the whole batch.
// OpenMP threads take whole groups (im2col, a single-threaded GEMM, the
// layout copies), in one parallel region per pass: few synchronizations,
// and no thread waits on another inside a group. Each thread sums dW and db
// over its own groups, assigned statically, and the threads' sums are added
// in thread order, so the same thread count gives the same bits; the outputs
// and dx do not depend on the thread count at all.
//
// W{name} is (F, C k k), PyTorch's weight (F, C, k, k) flattened, and b{name}
// is (1, F). The work buffers grow to the largest batch seen and are reused:
// a training step allocates nothing once the first has run.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "descent/core/matrix.hpp"
#include "descent/nn/layer_spec.hpp"
#include "descent/nn/param_set.hpp"

namespace descent {

class Conv2d {
 public:
  // X_col of a group stays near this size (bytes), unless one image's is larger.
  static constexpr std::size_t kGroupBytes = std::size_t{2} << 20;

  // Registers `name`.W (filters, C k k) as a Weight and `name`.b (1, filters)
  // as a Bias. The spec's kind must be conv; `input` is one image's shape.
  Conv2d(ParamSet& params, const std::string& name, const ImageShape& input, const LayerSpec& spec);

  const ImageShape& input_shape() const { return in_; }
  const ImageShape& output_shape() const { return out_; }
  std::size_t weight_id() const { return w_; }
  std::size_t bias_id() const { return b_; }
  // Inputs and outputs that meet at one weight: (C k k, F k k).
  double fan_in() const;
  double fan_out() const;

  // out = conv(x, W) + b, and then max(0, out) when `relu`.
  void forward(const ParamSet& params, const Eigen::Ref<const Matrix>& x, Matrix& out, bool relu);
  // From dout (n, F Ho Wo): dW, db, and dx (n, C H W) when dx is not null.
  // With `relu`, out is forward's output and dout is first masked where out
  // is 0 (in place), as Affine::backward_relu does.
  void backward(ParamSet& params, const Eigen::Ref<const Matrix>& x, const Matrix& out,
                Matrix& dout, Matrix* dx, bool relu);

 private:
  // Thread t's share of the work buffers.
  struct Workspace {
    float* cols;  // (C k k, m Ho Wo)  X_col, or dX_col in the backward pass
    float* y;     // (F, m Ho Wo)      Y, or dY in the backward pass
    float* dw;    // (F, C k k)        the thread's sum of dW
    double* db;   // (F)               the thread's sum of db
  };
  Workspace workspace(int thread);
  // Grows the buffers to hold `threads` workspaces.
  void reserve(int threads);
  // The columns of images [first, first + count) of x, (C k k, count Ho Wo).
  void im2col(const Eigen::Ref<const Matrix>& x, std::size_t first, std::size_t count,
              float* cols) const;
  void im2col_row(const float* image, std::size_t u, std::size_t v, float* dst) const;
  // Rows [first, first + count) of dx from the columns `cols`.
  void col2im(const float* cols, std::size_t first, std::size_t count, Matrix& dx) const;

  ImageShape in_;
  Window window_;
  ImageShape out_;
  std::size_t group_;  // images per group
  std::size_t w_;
  std::size_t b_;
  std::vector<float> cols_;  // threads x (C k k, group Ho Wo)
  std::vector<float> y_;     // threads x (F, group Ho Wo)
  std::vector<float> dw_;    // threads x (F, C k k)
  std::vector<double> db_;   // threads x (F)
};

}  // namespace descent

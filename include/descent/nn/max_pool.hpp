// Max pooling over k x k windows of each channel of a batch of images
// x (n, C*H*W), stored NCHW:
//   out[i, c, oy, ox] = max over u, v < k of x[i, c, oy s + u - pt, ox s + v - pl]
// over the cells inside the image only: padded cells never win (TensorFlow's
// "SAME", and PyTorch's padding, which pads with -inf). Ties go to the first
// cell in row-major order, as in PyTorch.
//   backward  dx[i, c, argmax] += dout[i, c, oy, ox]   (0 elsewhere)
// Windows that overlap (stride < k) may send several gradients to one cell.
// Each channel of each image is one task of an OpenMP loop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/matrix.hpp"
#include "descent/nn/layer_spec.hpp"

namespace descent {

class MaxPool2d {
 public:
  // The spec's kind must be max_pool; `input` is one image's shape.
  MaxPool2d(const std::string& name, const ImageShape& input, const LayerSpec& spec);

  const ImageShape& input_shape() const { return in_; }
  const ImageShape& output_shape() const { return out_; }

  void forward(const Eigen::Ref<const Matrix>& x, Matrix& out);
  // dx (n, C H W) from dout (n, C Ho Wo) and the maxima of the last forward pass.
  void backward(const Matrix& dout, Matrix& dx) const;

 private:
  ImageShape in_;
  Window window_;
  ImageShape out_;
  std::vector<std::int32_t> argmax_;  // (n, C Ho Wo) the winner's index in its channel, y W + x
};

}  // namespace descent

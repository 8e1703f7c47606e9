// Max pooling.
#include "descent/nn/max_pool.hpp"

#include <algorithm>


namespace descent {

MaxPool2d::MaxPool2d(const std::string& name, const ImageShape& input, const LayerSpec& spec)
    : in_(input),
      window_(layer_window(name, input, spec)),
      out_{input.channels, window_.out_height, window_.out_width} {}

void MaxPool2d::forward(const Eigen::Ref<const Matrix>& x, Matrix& out) {
  const auto n = static_cast<std::size_t>(x.rows());
  out.resize(x.rows(), static_cast<Eigen::Index>(out_.size()));  // (n, C Ho Wo)
  if (argmax_.size() < n * out_.size()) argmax_.resize(n * out_.size());
  const std::size_t in_plane = in_.height * in_.width;
  const std::size_t out_plane = out_.height * out_.width;
  const auto tasks = static_cast<std::ptrdiff_t>(n * in_.channels);
  const auto top = static_cast<std::ptrdiff_t>(window_.pad_top);
  const auto left = static_cast<std::ptrdiff_t>(window_.pad_left);
  const auto height = static_cast<std::ptrdiff_t>(in_.height);
  const auto width = static_cast<std::ptrdiff_t>(in_.width);
  const auto k = static_cast<std::ptrdiff_t>(window_.kernel);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t task = 0; task < tasks; ++task) {
    // task = (i, c)
    const auto t = static_cast<std::size_t>(task);
    const std::size_t c = t % in_.channels;
    const std::size_t i = t / in_.channels;
    const float* image = x.row(static_cast<Eigen::Index>(i)).data() + c * in_plane;
    float* dst = out.row(static_cast<Eigen::Index>(i)).data() + c * out_plane;
    std::int32_t* winner = argmax_.data() + i * out_.size() + c * out_plane;
    for (std::size_t oy = 0; oy < out_.height; ++oy) {
      const std::ptrdiff_t y0 = static_cast<std::ptrdiff_t>(oy * window_.stride) - top;
      const std::ptrdiff_t y_lo = std::max<std::ptrdiff_t>(y0, 0);
      const std::ptrdiff_t y_hi = std::min(y0 + k, height);
      for (std::size_t ox = 0; ox < out_.width; ++ox) {
        const std::ptrdiff_t x0 = static_cast<std::ptrdiff_t>(ox * window_.stride) - left;
        const std::ptrdiff_t x_lo = std::max<std::ptrdiff_t>(x0, 0);
        const std::ptrdiff_t x_hi = std::min(x0 + k, width);
        std::ptrdiff_t best = y_lo * width + x_lo;
        float best_value = image[best];
        for (std::ptrdiff_t yy = y_lo; yy < y_hi; ++yy) {
          for (std::ptrdiff_t xx = x_lo; xx < x_hi; ++xx) {
            const float value = image[yy * width + xx];
            if (value > best_value) {
              best_value = value;
              best = yy * width + xx;
            }
          }
        }
        dst[oy * out_.width + ox] = best_value;
        winner[oy * out_.width + ox] = static_cast<std::int32_t>(best);
      }
    }
  }
}

void MaxPool2d::backward(const Matrix& dout, Matrix& dx) const {
  const auto n = static_cast<std::size_t>(dout.rows());
  dx.resize(dout.rows(), static_cast<Eigen::Index>(in_.size()));  // (n, C H W)
  const std::size_t in_plane = in_.height * in_.width;
  const std::size_t out_plane = out_.height * out_.width;
  const auto tasks = static_cast<std::ptrdiff_t>(n * in_.channels);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t task = 0; task < tasks; ++task) {
    const auto t = static_cast<std::size_t>(task);
    const std::size_t c = t % in_.channels;
    const std::size_t i = t / in_.channels;
    float* image = dx.row(static_cast<Eigen::Index>(i)).data() + c * in_plane;
    const float* src = dout.row(static_cast<Eigen::Index>(i)).data() + c * out_plane;
    const std::int32_t* winner = argmax_.data() + i * out_.size() + c * out_plane;
    std::fill(image, image + in_plane, 0.0f);
    for (std::size_t p = 0; p < out_plane; ++p) image[winner[p]] += src[p];
  }
}

}  // namespace descent

// A network written layer by layer, as DeepOBS and Keras write them:
//   conv 32 5x5 pad=same, relu, maxpool 2x2 stride=2 pad=same, flatten, dense 10
// Every activation is a batch (n, C*H*W) of images stored NCHW, one image per
// row; flatten only renames the shape (C, H, W) as a vector of C*H*W values,
// so it is a spec and no layer of its own. The text form above (to_string,
// parse_layer_spec) is how config.json and model files carry a network.
//
// Padding, for conv and max pooling, as TensorFlow and PyTorch define it:
//   valid     no padding:  out = floor((in - k) / stride) + 1
//   same      TensorFlow's: out = ceil(in / stride), padded by
//             max((out - 1) * stride + k - in, 0) in all, the odd one at the
//             bottom and right
//   explicit  PyTorch's padding=p: p on every side, out = floor((in + 2p - k) / stride) + 1
// Convolution pads with zeros; max pooling ignores the padded cells (-inf).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace descent {

// The shape of one image, (channels, height, width), stored channel by
// channel, row by row. A flat vector of d values is (d, 1, 1) once flattened.
struct ImageShape {
  std::size_t channels = 0;
  std::size_t height = 0;
  std::size_t width = 0;

  std::size_t size() const { return channels * height * width; }
  bool empty() const { return size() == 0; }
  friend bool operator==(const ImageShape&, const ImageShape&) = default;
};
// "32x14x14"
std::string to_string(const ImageShape& shape);

enum class Padding { valid, same, explicit_pixels };

enum class LayerKind { conv, max_pool, flatten, dense, relu, dropout, batchnorm, offset };

// How a conv or dense layer's weights start; its biases start at bias_init.
enum class WeightInit {
  network,           // NetworkConfig::init (He, Xavier, ...) with its weight_scale
  truncated_normal,  // N(0, sigma^2) redrawn until within 2 sigma
                     //   (TensorFlow's truncated_normal_initializer(stddev=sigma))
  glorot_normal,     // truncated normal of variance 2 / (fan_in + fan_out)
                     //   (TensorFlow's glorot_normal / VarianceScaling(fan_avg, truncated_normal))
  glorot_uniform,    // U(-sqrt(6 / (fan_in + fan_out)), +sqrt(...)) (TensorFlow's glorot_uniform)
  zeros,             // all weights 0 (DeepOBS's logistic regression)
};

struct LayerSpec {
  LayerKind kind = LayerKind::relu;
  std::size_t units = 0;   // conv: filters (output channels); dense: outputs
  std::size_t kernel = 0;  // conv, max_pool: the window is kernel x kernel
  std::size_t stride = 1;  // conv, max_pool
  Padding padding = Padding::valid;
  std::size_t pad = 0;  // Padding::explicit_pixels: pixels on each side
  float dropout = 0;    // dropout: probability of dropping a unit, in [0, 1)
  WeightInit init = WeightInit::network;
  float sigma = 0;      // WeightInit::truncated_normal's standard deviation
  float bias_init = 0;  // the constant every bias starts at (WeightInit other than network),
                        // or an offset's theta

  static LayerSpec conv(std::size_t filters, std::size_t kernel, Padding padding,
                        std::size_t stride = 1);
  static LayerSpec max_pool(std::size_t kernel, std::size_t stride, Padding padding);
  static LayerSpec flatten();
  static LayerSpec dense(std::size_t units);
  static LayerSpec relu();
  static LayerSpec dropout_layer(float p);
  static LayerSpec batchnorm();
  // theta - x, theta a trainable point of the input's size starting at `start`
  // in every coordinate (offset.hpp).
  static LayerSpec offset(float start);
  // The same layer with its weights and biases initialized as given.
  LayerSpec with_init(WeightInit weights, float bias = 0, float truncated_sigma = 0) const;

  friend bool operator==(const LayerSpec&, const LayerSpec&) = default;
};

// The layer's text form, every option that differs from its default:
//   "conv 32 5x5 stride=2 pad=same init=truncated-normal:0.05 bias=0.05"
//   "maxpool 3x3 stride=2 pad=same", "flatten", "dense 1024", "relu",
//   "dropout 0.5", "batchnorm", "conv 16 3x3 pad=1", "offset start=1"
std::string to_string(const LayerSpec& layer);
// The inverse of to_string; ConfigError naming the text and what was expected.
LayerSpec parse_layer_spec(const std::string& text);

// The name of layer i of `layers` in messages: its kind and its count among
// the layers of that kind, from 1 ("conv2", "pool1", "dense3", "relu4").
std::string layer_name(const std::vector<LayerSpec>& layers, std::size_t i);

// The output rows and columns of a window (conv or pool) over an input of
// `in` rows or columns, and the padding before it (top or left).
struct WindowSize {
  std::size_t out = 0;
  std::size_t pad_before = 0;
};
// out = 0 when the window does not fit.
WindowSize window_size(std::size_t in, std::size_t kernel, std::size_t stride, Padding padding,
                       std::size_t pad);

// A k x k window sliding over an image (a conv or max pool layer's): its
// stride, the padding before the rows and columns, and the output's size.
struct Window {
  std::size_t kernel = 0;
  std::size_t stride = 1;
  std::size_t pad_top = 0;
  std::size_t pad_left = 0;
  std::size_t out_height = 0;
  std::size_t out_width = 0;
};
// The window of a conv or max_pool spec over `input`; ShapeError
// "<name>: a 5x5 conv does not fit its 96x3x3 input" when it does not fit.
Window layer_window(const std::string& name, const ImageShape& input, const LayerSpec& spec);

// The shape after each layer of `layers` on inputs of shape `input` (a flat
// input of d values is (d, 1, 1)); after flatten, dense and the layers after
// them, (d, 1, 1). ConfigError naming the layer and the shapes when a layer
// does not fit what it is given, e.g. "conv2: 5x5 kernel, pad=valid, does
// not fit its 96x3x3 input", or its options are out of range.
std::vector<ImageShape> layer_shapes(const ImageShape& input, const std::vector<LayerSpec>& layers);

}  // namespace descent

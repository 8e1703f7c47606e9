// Layer specs: the text form both ways, the padding rules of TensorFlow and
// PyTorch, the shapes through DeepOBS's networks, and the errors that name
// the layer and its shapes.
#include "descent/nn/layer_spec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "descent/core/error.hpp"

namespace descent {
namespace {

std::string error_of(const ImageShape& input, const std::vector<LayerSpec>& layers) {
  try {
    layer_shapes(input, layers);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::string parse_error(const std::string& text) {
  try {
    parse_layer_spec(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(LayerSpec, TextFormReadsBackToTheSameLayer) {
  LayerSpec explicit_pad = LayerSpec::conv(16, 3, Padding::explicit_pixels);
  explicit_pad.pad = 1;
  const std::vector<LayerSpec> layers = {
      LayerSpec::conv(32, 5, Padding::same).with_init(WeightInit::truncated_normal, 0.05f, 0.05f),
      LayerSpec::max_pool(3, 2, Padding::same),
      LayerSpec::conv(96, 3, Padding::valid, 2).with_init(WeightInit::glorot_normal),
      explicit_pad,
      LayerSpec::flatten(),
      LayerSpec::dense(512).with_init(WeightInit::glorot_uniform, 0.1f),
      LayerSpec::batchnorm(),
      LayerSpec::relu(),
      LayerSpec::dropout_layer(0.25f),
      LayerSpec::dense(10).with_init(WeightInit::zeros),
  };
  const std::vector<std::string> texts = {
      "conv 32 5x5 pad=same init=truncated-normal:0.05 bias=0.05",
      "maxpool 3x3 stride=2 pad=same",
      "conv 96 3x3 stride=2 init=glorot-normal bias=0",
      "conv 16 3x3 pad=1",
      "flatten",
      "dense 512 init=glorot-uniform bias=0.1",
      "batchnorm",
      "relu",
      "dropout 0.25",
      "dense 10 init=zeros bias=0",
  };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(to_string(layers[i]), texts[i]);
    EXPECT_EQ(parse_layer_spec(texts[i]), layers[i]) << texts[i];
  }
  EXPECT_EQ(parse_layer_spec("  maxpool   2x2 stride=2 pad=valid "),
            LayerSpec::max_pool(2, 2, Padding::valid));
}

TEST(LayerSpec, ParseNamesTheTextAndWhatWasExpected) {
  EXPECT_EQ(parse_error("convolution 32 5x5"),
            "layer 'convolution 32 5x5': expected conv, maxpool, flatten, dense, relu, dropout, "
            "batchnorm or offset first");
  EXPECT_EQ(parse_error("conv 32"), "layer 'conv 32': expected a kernel such as 5x5 after conv");
  EXPECT_EQ(parse_error("conv 32 5x3"), "layer 'conv 32 5x3': expected a square kernel, got '5x3'");
  EXPECT_EQ(parse_error("dense -3"),
            "layer 'dense -3': expected units as a positive integer, got '-3'");
  EXPECT_EQ(parse_error("maxpool 2x2 stride=0"),
            "layer 'maxpool 2x2 stride=0': expected stride of at least 1, got 0");
  EXPECT_EQ(parse_error("dense 10 stride=2"),
            "layer 'dense 10 stride=2': expected no option 'stride=2' for dense");
  EXPECT_EQ(parse_error("conv 8 3x3 init=kaiming"),
            "layer 'conv 8 3x3 init=kaiming': expected init=network, truncated-normal:SIGMA, "
            "glorot-normal, glorot-uniform or zeros, got 'kaiming'");
  EXPECT_EQ(parse_error("dropout half"), "layer 'dropout half': expected p as a number, got 'half'");
  EXPECT_EQ(parse_error(""),
            "layer '': expected conv, maxpool, flatten, dense, relu, dropout, "
            "batchnorm or offset");
}

// TensorFlow's padding (tf.nn.convolution's documentation): "SAME" gives
// out = ceil(in / s) and pads max((out - 1) s + k - in, 0), the smaller half
// before; "VALID" gives out = ceil((in - k + 1) / s). PyTorch's padding p:
// out = floor((in + 2p - k) / s) + 1.
TEST(LayerSpec, WindowSizesFollowTensorFlowAndPyTorch) {
  for (std::size_t in = 1; in <= 12; ++in) {
    for (std::size_t k = 1; k <= 5; ++k) {
      for (std::size_t s = 1; s <= 3; ++s) {
        const std::size_t same_out = (in + s - 1) / s;
        const long total = static_cast<long>((same_out - 1) * s + k) - static_cast<long>(in);
        const WindowSize same = window_size(in, k, s, Padding::same, 0);
        EXPECT_EQ(same.out, same_out);
        EXPECT_EQ(same.pad_before, static_cast<std::size_t>(std::max(total, 0L) / 2));
        const WindowSize valid = window_size(in, k, s, Padding::valid, 0);
        EXPECT_EQ(valid.out, in >= k ? (in - k + 1 + s - 1) / s : 0u);
        EXPECT_EQ(valid.pad_before, 0u);
        if (k >= 2) {
          const WindowSize padded = window_size(in, k, s, Padding::explicit_pixels, 1);
          EXPECT_EQ(padded.out, in + 2 >= k ? (in + 2 - k) / s + 1 : 0u);
          EXPECT_EQ(padded.pad_before, 1u);
        }
      }
    }
  }
}

// DeepOBS's 3c3d (deepobs/tensorflow/testproblems/_3c3d.py), whose flatten
// expects 3 * 3 * 128: 32 -valid 5x5-> 28 -pool 3/2 same-> 14 -valid 3x3-> 12
// -pool-> 6 -same 3x3-> 6 -pool-> 3.
TEST(LayerSpec, ShapesThroughDeepObs3c3d) {
  const std::vector<LayerSpec> layers = {
      LayerSpec::conv(64, 5, Padding::valid), LayerSpec::relu(),
      LayerSpec::max_pool(3, 2, Padding::same), LayerSpec::conv(96, 3, Padding::valid),
      LayerSpec::relu(), LayerSpec::max_pool(3, 2, Padding::same),
      LayerSpec::conv(128, 3, Padding::same), LayerSpec::relu(),
      LayerSpec::max_pool(3, 2, Padding::same), LayerSpec::flatten(),
      LayerSpec::dense(512), LayerSpec::relu(),
      LayerSpec::dense(256), LayerSpec::relu(),
      LayerSpec::dense(10)};
  const std::vector<ImageShape> expected = {
      {64, 28, 28}, {64, 28, 28}, {64, 14, 14}, {96, 12, 12}, {96, 12, 12},
      {96, 6, 6},   {128, 6, 6},  {128, 6, 6},  {128, 3, 3},  {1152, 1, 1},
      {512, 1, 1},  {512, 1, 1},  {256, 1, 1},  {256, 1, 1},  {10, 1, 1}};
  EXPECT_EQ(layer_shapes({3, 32, 32}, layers), expected);
  EXPECT_EQ(layer_name(layers, 5), "pool2");
  EXPECT_EQ(layer_name(layers, 12), "dense2");
  EXPECT_EQ(layer_name(layers, 13), "relu5");
}

TEST(LayerSpec, ShapeErrorsNameTheLayerAndTheShapes) {
  const LayerSpec relu = LayerSpec::relu();
  EXPECT_EQ(error_of({96, 3, 3}, {LayerSpec::conv(8, 3, Padding::same), relu,
                                  LayerSpec::conv(8, 5, Padding::valid)}),
            "conv2: 5x5 kernel, pad=valid, does not fit its 8x3x3 input");
  EXPECT_EQ(error_of({1, 28, 28}, {LayerSpec::conv(8, 3, Padding::same), LayerSpec::flatten(),
                                   LayerSpec::max_pool(2, 2, Padding::same)}),
            "pool1: needs an image input, but flatten1 made it a vector of 6272 values");
  EXPECT_EQ(error_of({1, 28, 28}, {LayerSpec::dense(10), LayerSpec::conv(8, 1, Padding::valid)}),
            "conv1: needs an image input, but dense1 made it a vector of 10 values");
  EXPECT_EQ(error_of({1, 28, 28}, {relu, LayerSpec::dense(10)}),
            "relu1: needs a conv, dense, maxpool or offset layer before it");
  EXPECT_EQ(error_of({784, 1, 1}, {LayerSpec::dense(10), relu, LayerSpec::batchnorm()}),
            "bn1: after relu1 on the output of dense1; expected at most one batchnorm, relu and "
            "dropout each, in that order");
  EXPECT_EQ(error_of({784, 1, 1}, {LayerSpec::dense(10), relu, relu}),
            "relu2: after relu1 on the output of dense1; expected at most one batchnorm, relu "
            "and dropout each, in that order");
  EXPECT_EQ(error_of({3, 8, 8}, {LayerSpec::conv(4, 3, Padding::same), LayerSpec::batchnorm()}),
            "bn1: batch norm of images (per channel) is not supported; its input is 4x8x8, "
            "flatten it first");
  LayerSpec too_much_padding = LayerSpec::conv(4, 3, Padding::explicit_pixels);
  too_much_padding.pad = 3;
  EXPECT_EQ(error_of({3, 8, 8}, {too_much_padding}),
            "conv1: pad=3 must be smaller than the 3x3 kernel");
  EXPECT_EQ(error_of({3, 8, 8}, {LayerSpec::conv(0, 3, Padding::same)}),
            "conv1: expected at least 1 filter");
  EXPECT_EQ(error_of({784, 1, 1}, {LayerSpec::dense(10), LayerSpec::dropout_layer(1.0f)}),
            "dropout1: expected a dropout probability in [0, 1), got 1");
  EXPECT_EQ(error_of({784, 1, 1}, {LayerSpec::dense(10).with_init(WeightInit::truncated_normal)}),
            "dense1: expected truncated-normal's sigma to be a finite value > 0, got 0");
}

}  // namespace
}  // namespace descent

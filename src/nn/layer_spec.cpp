// Layer specs: their text form and the shapes they make.
#include "descent/nn/layer_spec.hpp"

#include <array>
#include <cmath>
#include <sstream>
#include <string_view>

#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

std::string to_string(const ImageShape& shape) {
  return std::to_string(shape.channels) + "x" + std::to_string(shape.height) + "x" +
         std::to_string(shape.width);
}

LayerSpec LayerSpec::conv(std::size_t filters, std::size_t kernel, Padding padding,
                          std::size_t stride) {
  return {.kind = LayerKind::conv,
          .units = filters,
          .kernel = kernel,
          .stride = stride,
          .padding = padding};
}

LayerSpec LayerSpec::max_pool(std::size_t kernel, std::size_t stride, Padding padding) {
  return {.kind = LayerKind::max_pool, .kernel = kernel, .stride = stride, .padding = padding};
}

LayerSpec LayerSpec::flatten() { return {.kind = LayerKind::flatten}; }
LayerSpec LayerSpec::dense(std::size_t units) { return {.kind = LayerKind::dense, .units = units}; }
LayerSpec LayerSpec::relu() { return {.kind = LayerKind::relu}; }
LayerSpec LayerSpec::dropout_layer(float p) { return {.kind = LayerKind::dropout, .dropout = p}; }
LayerSpec LayerSpec::batchnorm() { return {.kind = LayerKind::batchnorm}; }
LayerSpec LayerSpec::offset(float start) { return {.kind = LayerKind::offset, .bias_init = start}; }

LayerSpec LayerSpec::with_init(WeightInit weights, float bias, float truncated_sigma) const {
  LayerSpec spec = *this;
  spec.init = weights;
  spec.bias_init = bias;
  spec.sigma = truncated_sigma;
  return spec;
}

namespace {

struct KindName {
  LayerKind kind;
  std::string_view name;
  std::string_view short_name;  // in layer_name()
};

constexpr std::array<KindName, 8> kKinds = {{
    {LayerKind::conv, "conv", "conv"},
    {LayerKind::max_pool, "maxpool", "pool"},
    {LayerKind::flatten, "flatten", "flatten"},
    {LayerKind::dense, "dense", "dense"},
    {LayerKind::relu, "relu", "relu"},
    {LayerKind::dropout, "dropout", "dropout"},
    {LayerKind::batchnorm, "batchnorm", "bn"},
    {LayerKind::offset, "offset", "offset"},
}};

const KindName& kind_name(LayerKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k;
  }
  throw ConfigError("layer: unknown kind " + std::to_string(static_cast<int>(kind)));
}

struct InitName {
  WeightInit init;
  std::string_view name;
};

constexpr std::array<InitName, 5> kInits = {{
    {WeightInit::network, "network"},
    {WeightInit::truncated_normal, "truncated-normal"},
    {WeightInit::glorot_normal, "glorot-normal"},
    {WeightInit::glorot_uniform, "glorot-uniform"},
    {WeightInit::zeros, "zeros"},
}};

std::string_view init_name(WeightInit init) {
  for (const InitName& i : kInits) {
    if (i.init == init) return i.name;
  }
  throw ConfigError("layer: unknown init " + std::to_string(static_cast<int>(init)));
}

bool has_window(LayerKind kind) { return kind == LayerKind::conv || kind == LayerKind::max_pool; }
bool has_weights(LayerKind kind) { return kind == LayerKind::conv || kind == LayerKind::dense; }

}  // namespace

std::string to_string(const LayerSpec& layer) {
  std::ostringstream out;
  out << kind_name(layer.kind).name;
  if (layer.kind == LayerKind::conv || layer.kind == LayerKind::dense) out << " " << layer.units;
  if (layer.kind == LayerKind::dropout) out << " " << shortest(layer.dropout);
  if (has_window(layer.kind)) {
    out << " " << layer.kernel << "x" << layer.kernel;
    if (layer.stride != 1) out << " stride=" << layer.stride;
    if (layer.padding == Padding::same) out << " pad=same";
    if (layer.padding == Padding::explicit_pixels) out << " pad=" << layer.pad;
  }
  if (has_weights(layer.kind) && layer.init != WeightInit::network) {
    out << " init=" << init_name(layer.init);
    if (layer.init == WeightInit::truncated_normal) out << ":" << shortest(layer.sigma);
    out << " bias=" << shortest(layer.bias_init);
  }
  if (layer.kind == LayerKind::offset) out << " start=" << shortest(layer.bias_init);
  return out.str();
}

namespace {

[[noreturn]] void bad_spec(const std::string& text, const std::string& expected) {
  throw ConfigError("layer '" + text + "': expected " + expected);
}

std::size_t parse_count(const std::string& text, std::string_view token, const char* what) {
  if (token.empty() || token.size() > 9 || token.find_first_not_of("0123456789") != token.npos) {
    bad_spec(text, std::string(what) + " as a positive integer, got '" + std::string(token) + "'");
  }
  const std::size_t value = std::stoul(std::string(token));
  if (value == 0) bad_spec(text, std::string(what) + " of at least 1, got 0");
  return value;
}

float parse_float(const std::string& text, std::string_view token, const char* what) {
  try {
    std::size_t used = 0;
    const float value = std::stof(std::string(token), &used);
    if (used == token.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  bad_spec(text, std::string(what) + " as a number, got '" + std::string(token) + "'");
}

// "5x5" -> 5; kernels are square.
std::size_t parse_kernel(const std::string& text, std::string_view token) {
  const std::size_t x = token.find('x');
  if (x == token.npos) bad_spec(text, "a kernel such as 5x5, got '" + std::string(token) + "'");
  const std::size_t rows = parse_count(text, token.substr(0, x), "kernel rows");
  const std::size_t cols = parse_count(text, token.substr(x + 1), "kernel columns");
  if (rows != cols) bad_spec(text, "a square kernel, got '" + std::string(token) + "'");
  return rows;
}

void parse_option(const std::string& text, std::string_view token, LayerSpec& spec) {
  const std::size_t eq = token.find('=');
  const std::string_view key = token.substr(0, eq);
  const std::string_view value = eq == token.npos ? std::string_view() : token.substr(eq + 1);
  if (has_window(spec.kind) && key == "stride") {
    spec.stride = parse_count(text, value, "stride");
  } else if (has_window(spec.kind) && key == "pad") {
    if (value == "same" || value == "valid") {
      spec.padding = value == "same" ? Padding::same : Padding::valid;
    } else {
      spec.padding = Padding::explicit_pixels;
      spec.pad = parse_count(text, value, "pad (same, valid or pixels)");
    }
  } else if (has_weights(spec.kind) && key == "init") {
    const std::string_view name = value.substr(0, value.find(':'));
    bool found = false;
    for (const InitName& i : kInits) {
      if (i.name == name) {
        spec.init = i.init;
        found = true;
      }
    }
    if (!found) {
      bad_spec(text, "init=network, truncated-normal:SIGMA, glorot-normal, glorot-uniform or "
                     "zeros, got '" + std::string(value) + "'");
    }
    if (spec.init == WeightInit::truncated_normal) {
      if (value.find(':') == value.npos) bad_spec(text, "init=truncated-normal:SIGMA");
      spec.sigma = parse_float(text, value.substr(value.find(':') + 1), "sigma");
    }
  } else if (has_weights(spec.kind) && key == "bias") {
    spec.bias_init = parse_float(text, value, "bias");
  } else if (spec.kind == LayerKind::offset && key == "start") {
    spec.bias_init = parse_float(text, value, "start");
  } else {
    bad_spec(text, "no option '" + std::string(token) + "' for " +
                       std::string(kind_name(spec.kind).name));
  }
}

}  // namespace

LayerSpec parse_layer_spec(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> tokens;
  for (std::string token; in >> token;) tokens.push_back(token);
  if (tokens.empty()) {
    bad_spec(text, "conv, maxpool, flatten, dense, relu, dropout, batchnorm or offset");
  }
  LayerSpec spec;
  bool found = false;
  for (const KindName& k : kKinds) {
    if (tokens[0] == k.name) {
      spec.kind = k.kind;
      found = true;
    }
  }
  if (!found) {
    bad_spec(text, "conv, maxpool, flatten, dense, relu, dropout, batchnorm or offset first");
  }
  std::size_t next = 1;
  const auto take = [&](const char* what) -> std::string_view {
    if (next >= tokens.size()) bad_spec(text, std::string(what) + " after " + tokens[0]);
    return tokens[next++];
  };
  if (spec.kind == LayerKind::conv || spec.kind == LayerKind::dense) {
    spec.units = parse_count(text, take("a number of units"),
                             spec.kind == LayerKind::conv ? "filters" : "units");
  }
  if (spec.kind == LayerKind::dropout) spec.dropout = parse_float(text, take("p"), "p");
  if (has_window(spec.kind)) spec.kernel = parse_kernel(text, take("a kernel such as 5x5"));
  for (; next < tokens.size(); ++next) parse_option(text, tokens[next], spec);
  return spec;
}

std::string layer_name(const std::vector<LayerSpec>& layers, std::size_t i) {
  std::size_t count = 0;
  for (std::size_t j = 0; j <= i && j < layers.size(); ++j) {
    if (layers[j].kind == layers[i].kind) ++count;
  }
  return std::string(kind_name(layers[i].kind).short_name) + std::to_string(count);
}

WindowSize window_size(std::size_t in, std::size_t kernel, std::size_t stride, Padding padding,
                       std::size_t pad) {
  switch (padding) {
    case Padding::valid:
      return {in >= kernel ? (in - kernel) / stride + 1 : 0, 0};
    case Padding::same: {
      const std::size_t out = (in + stride - 1) / stride;
      const std::size_t needed = (out - 1) * stride + kernel;
      const std::size_t total = needed > in ? needed - in : 0;
      return {out, total / 2};
    }
    case Padding::explicit_pixels:
      return {in + 2 * pad >= kernel ? (in + 2 * pad - kernel) / stride + 1 : 0, pad};
  }
  return {};
}

Window layer_window(const std::string& name, const ImageShape& input, const LayerSpec& spec) {
  const WindowSize rows = window_size(input.height, spec.kernel, spec.stride, spec.padding, spec.pad);
  const WindowSize cols = window_size(input.width, spec.kernel, spec.stride, spec.padding, spec.pad);
  if (!has_window(spec.kind) || rows.out == 0 || cols.out == 0) {
    throw ShapeError(name + ": a " + std::to_string(spec.kernel) + "x" +
                     std::to_string(spec.kernel) +
                     (spec.kind == LayerKind::conv ? " conv" : " max pool") +
                     " does not fit its " + to_string(input) + " input");
  }
  return {spec.kernel, spec.stride, rows.pad_before, cols.pad_before, rows.out, cols.out};
}

namespace {

std::string padding_text(const LayerSpec& layer) {
  switch (layer.padding) {
    case Padding::valid:
      return "pad=valid";
    case Padding::same:
      return "pad=same";
    case Padding::explicit_pixels:
      return "pad=" + std::to_string(layer.pad);
  }
  return {};
}

// ConfigError for options out of range, before any shape is looked at.
void check_options(const std::string& name, const LayerSpec& layer) {
  const auto fail = [&](const std::string& what) { throw ConfigError(name + ": " + what); };
  if ((layer.kind == LayerKind::conv || layer.kind == LayerKind::dense) && layer.units < 1) {
    fail("expected at least 1 " + std::string(layer.kind == LayerKind::conv ? "filter" : "unit"));
  }
  if (has_window(layer.kind)) {
    if (layer.kernel < 1) fail("expected a kernel of at least 1x1");
    if (layer.stride < 1) fail("expected a stride of at least 1");
    if (layer.padding == Padding::explicit_pixels && layer.pad >= layer.kernel) {
      fail("pad=" + std::to_string(layer.pad) + " must be smaller than the " +
           std::to_string(layer.kernel) + "x" + std::to_string(layer.kernel) + " kernel");
    }
  }
  if (layer.kind == LayerKind::dropout && !(layer.dropout >= 0.0f && layer.dropout < 1.0f)) {
    fail("expected a dropout probability in [0, 1), got " + shortest(layer.dropout));
  }
  if (has_weights(layer.kind)) {
    if (layer.init == WeightInit::truncated_normal &&
        !(std::isfinite(layer.sigma) && layer.sigma > 0.0f)) {
      fail("expected truncated-normal's sigma to be a finite value > 0, got " +
           shortest(layer.sigma));
    }
    if (!std::isfinite(layer.bias_init)) fail("expected a finite bias init");
  }
  if (layer.kind == LayerKind::offset && !std::isfinite(layer.bias_init)) {
    fail("expected a finite start");
  }
}

// The in-place layers (batch norm, relu, dropout) act on the output of the
// conv, dense or max pooling layer before them, at most one of each, in the
// order batch norm, relu, dropout (the order of cs231n's FullyConnectedNet).
void check_order(const std::vector<LayerSpec>& layers) {
  const auto rank = [](LayerKind kind) {
    return kind == LayerKind::batchnorm ? 1 : kind == LayerKind::relu ? 2 : 3;
  };
  std::string last_computing;  // the name of the last conv, dense or pool layer
  int last_rank = 0;           // of the in-place layers after it
  std::string last_in_place;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerKind kind = layers[i].kind;
    const std::string name = layer_name(layers, i);
    if (kind == LayerKind::conv || kind == LayerKind::dense || kind == LayerKind::max_pool ||
        kind == LayerKind::offset) {
      last_computing = name;
      last_rank = 0;
    } else if (kind != LayerKind::flatten) {
      if (last_computing.empty()) {
        throw ConfigError(name + ": needs a conv, dense, maxpool or offset layer before it");
      }
      if (rank(kind) <= last_rank) {
        throw ConfigError(name + ": after " + last_in_place + " on the output of " +
                          last_computing +
                          "; expected at most one batchnorm, relu and dropout each, in that order");
      }
      last_rank = rank(kind);
      last_in_place = name;
    }
  }
}

}  // namespace

std::vector<ImageShape> layer_shapes(const ImageShape& input, const std::vector<LayerSpec>& layers) {
  check_order(layers);
  std::vector<ImageShape> shapes;
  ImageShape shape = input;
  // The layer that made the activation a vector (flatten or dense), if any.
  std::string flattened_by;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& layer = layers[i];
    const std::string name = layer_name(layers, i);
    check_options(name, layer);
    switch (layer.kind) {
      case LayerKind::conv:
      case LayerKind::max_pool: {
        if (!flattened_by.empty()) {
          throw ConfigError(name + ": needs an image input, but " + flattened_by +
                            " made it a vector of " + std::to_string(shape.size()) + " values");
        }
        const WindowSize rows =
            window_size(shape.height, layer.kernel, layer.stride, layer.padding, layer.pad);
        const WindowSize cols =
            window_size(shape.width, layer.kernel, layer.stride, layer.padding, layer.pad);
        if (rows.out == 0 || cols.out == 0) {
          throw ConfigError(name + ": " + std::to_string(layer.kernel) + "x" +
                            std::to_string(layer.kernel) + " kernel, " + padding_text(layer) +
                            ", does not fit its " + to_string(shape) + " input");
        }
        shape = {layer.kind == LayerKind::conv ? layer.units : shape.channels, rows.out, cols.out};
        break;
      }
      case LayerKind::flatten:
        shape = {shape.size(), 1, 1};
        flattened_by = name;
        break;
      case LayerKind::dense:
        shape = {layer.units, 1, 1};
        flattened_by = name;
        break;
      case LayerKind::batchnorm:
        if (flattened_by.empty() && (shape.height > 1 || shape.width > 1)) {
          throw ConfigError(name + ": batch norm of images (per channel) is not supported; its "
                                   "input is " + to_string(shape) + ", flatten it first");
        }
        break;
      case LayerKind::relu:
      case LayerKind::dropout:
      case LayerKind::offset:
        break;
    }
    shapes.push_back(shape);
  }
  return shapes;
}

}  // namespace descent

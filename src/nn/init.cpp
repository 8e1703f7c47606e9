// Parameter initializers and the names of the initialization schemes.
#include "descent/nn/init.hpp"

#include <cmath>

#include "descent/core/error.hpp"

namespace descent {

Init parse_init(const std::string& name) {
  if (name == "he") return Init::He;
  if (name == "normal") return Init::Normal;
  if (name == "xavier") return Init::Xavier;
  if (name == "pytorch") return Init::PyTorch;
  throw ConfigError("init: expected one of he, normal, xavier, pytorch, got '" + name + "'");
}

std::string to_string(Init init) {
  switch (init) {
    case Init::He:
      return "he";
    case Init::Normal:
      return "normal";
    case Init::Xavier:
      return "xavier";
    case Init::PyTorch:
      return "pytorch";
  }
  throw ConfigError("init: unknown value " + std::to_string(static_cast<int>(init)));
}

namespace {

void fill_normal(MatrixMap m, double stddev, Rng& rng) {
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    m.data()[k] = static_cast<float>(stddev * rng.normal());
  }
}

void fill_uniform(MatrixMap m, double bound, Rng& rng) {
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    m.data()[k] = static_cast<float>(bound * (2.0 * rng.uniform() - 1.0));
  }
}

}  // namespace

void fill_truncated_normal(MatrixMap m, double sigma, Rng& rng) {
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    double z = rng.normal();
    while (std::abs(z) > 2.0) z = rng.normal();
    m.data()[k] = static_cast<float>(sigma * z);
  }
}

void init_affine(Init init, float weight_scale, MatrixMap w, MatrixMap b, Rng& rng) {
  init_weights(init, weight_scale, static_cast<double>(w.rows()), static_cast<double>(w.cols()), w,
               b, rng);
}

void init_weights(Init init, float weight_scale, double fan_in, double fan_out, MatrixMap w,
                  MatrixMap b, Rng& rng) {
  switch (init) {
    case Init::He:  // W ~ N(0, 2 / fan_in)
      fill_normal(w, std::sqrt(2.0 / fan_in), rng);
      b.setZero();
      return;
    case Init::Normal:  // W ~ N(0, weight_scale^2)
      fill_normal(w, weight_scale, rng);
      b.setZero();
      return;
    case Init::Xavier:  // W ~ N(0, 2 / (fan_in + fan_out))
      fill_normal(w, std::sqrt(2.0 / (fan_in + fan_out)), rng);
      b.setZero();
      return;
    case Init::PyTorch:  // W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))
      fill_uniform(w, 1.0 / std::sqrt(fan_in), rng);
      fill_uniform(b, 1.0 / std::sqrt(fan_in), rng);
      return;
  }
  throw ConfigError("init: unknown value " + std::to_string(static_cast<int>(init)));
}

void init_layer(const LayerSpec& layer, Init init, float weight_scale, double fan_in,
                double fan_out, MatrixMap w, MatrixMap b, Rng& rng) {
  switch (layer.init) {
    case WeightInit::network:
      init_weights(init, weight_scale, fan_in, fan_out, w, b, rng);
      return;
    case WeightInit::truncated_normal:  // sigma z, |z| <= 2
      fill_truncated_normal(w, layer.sigma, rng);
      break;
    case WeightInit::glorot_normal:  // Var W = 2 / (fan_in + fan_out), truncated at 2 sigma
      fill_truncated_normal(w, std::sqrt(2.0 / (fan_in + fan_out)) / kTruncatedStddev, rng);
      break;
    case WeightInit::glorot_uniform:  // W ~ U(-sqrt(6 / (fan_in + fan_out)), +sqrt(...))
      fill_uniform(w, std::sqrt(6.0 / (fan_in + fan_out)), rng);
      break;
    case WeightInit::zeros:
      w.setZero();
      break;
  }
  b.setConstant(layer.bias_init);
}

}  // namespace descent

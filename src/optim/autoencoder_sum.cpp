#include "descent/optim/autoencoder_sum.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/splitmix64.hpp"

namespace descent {

AutoencoderSum::AutoencoderSum(AutoencoderSumConfig config) : config_(config) {
  const std::size_t v = config.visible, j = config.hidden, d = config.points;
  std::size_t n = config.subfunctions;
  if (n == 0) n = static_cast<std::size_t>(std::sqrt(static_cast<double>(d)) / 10.0);
  if (v == 0 || j == 0 || n == 0 || n > d) {
    throw ConfigError(
        "autoencoder sum: expected V, J >= 1 and D >= N >= 1, got V = " + std::to_string(v) +
        ", J = " + std::to_string(j) + ", D = " + std::to_string(d) + ", N = " + std::to_string(n));
  }
  SplitMix64 rng(config.seed);
  minibatches_.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const auto size = static_cast<Eigen::Index>((d - k + n - 1) / n);
    minibatches_[k].resize(static_cast<Eigen::Index>(v), size);
  }
  for (std::size_t r = 0; r < v; ++r) {
    for (std::size_t c = 0; c < d; ++c) {
      minibatches_[c % n](static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c / n)) =
          rng.normal();
    }
  }
  start_.resize(j * v + j + v);
  for (double& value : start_) value = rng.normal();
  const Eigen::Index widest = minibatches_.front().cols();
  hidden_.resize(static_cast<Eigen::Index>(j), widest);
  residual_.resize(static_cast<Eigen::Index>(v), widest);
  hidden_grad_.resize(static_cast<Eigen::Index>(j), widest);
  weight_grad_.resize(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(v));
}

double AutoencoderSum::data(std::size_t r, std::size_t c) const {
  const std::size_t n = minibatches_.size();
  return minibatches_[c % n](static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c / n));
}

// sfo_demo.py's f_df, with dv_hat = 2 (v_hat - v) / D_k:
//   grad b_v = sum_c dv_hat_c
//   dh = W dv_hat,  da = dh * h * (1 - h)
//   grad W = h dv_hat' + da v',  grad b_h = sum_c da_c
double AutoencoderSum::evaluate(std::size_t k, std::span<const double> x,
                                std::span<double> gradient) {
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto v = static_cast<Eigen::Index>(config_.visible);
  const auto j = static_cast<Eigen::Index>(config_.hidden);
  const Eigen::MatrixXd& batch = minibatches_[k];
  const Eigen::Index size = batch.cols();
  const Eigen::Map<const RowMajor> w(x.data(), j, v);
  const Eigen::Map<const Eigen::VectorXd> b_h(x.data() + j * v, j);
  const Eigen::Map<const Eigen::VectorXd> b_v(x.data() + j * v + j, v);
  Eigen::Map<RowMajor> grad_w(gradient.data(), j, v);
  Eigen::Map<Eigen::VectorXd> grad_b_h(gradient.data() + j * v, j);
  Eigen::Map<Eigen::VectorXd> grad_b_v(gradient.data() + j * v + j, v);
  auto h = hidden_.leftCols(size);
  auto r = residual_.leftCols(size);
  auto dh = hidden_grad_.leftCols(size);

  h.noalias() = w * batch;
  h.colwise() += b_h;
  h.array() = 1.0 / (1.0 + (-h.array()).exp());
  r.noalias() = w.transpose() * h;
  r.colwise() += b_v;
  r -= batch;
  const double f = r.squaredNorm() / static_cast<double>(size);
  r *= 2.0;
  r /= static_cast<double>(size);
  grad_b_v = r.rowwise().sum();
  weight_grad_.noalias() = h * r.transpose();
  dh.noalias() = w * r;
  h.array() = dh.array() * h.array() * (1.0 - h.array());
  grad_b_h = h.rowwise().sum();
  weight_grad_.noalias() += h * batch.transpose();
  grad_w = weight_grad_;
  return f;
}

}  // namespace descent

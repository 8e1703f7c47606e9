// Batch normalization.
#include "descent/nn/batchnorm.hpp"

#include <string>

namespace descent {

namespace {

ConstRowVectorMap row_of(const ParamSet& params, std::size_t id) {
  return ConstRowVectorMap(params.value(id).data(), params.entries()[id].cols);
}

}  // namespace

BatchNorm::BatchNorm(ParamSet& params, std::size_t index, std::size_t dim,
                     std::size_t buffer_offset)
    : dim_(dim),
      offset_(buffer_offset),
      gamma_(params.add("gamma" + std::to_string(index), 1, dim, ParamKind::Bias)),
      beta_(params.add("beta" + std::to_string(index), 1, dim, ParamKind::Bias)) {}

void BatchNorm::initialize(ParamSet& params, std::span<float> buffers) const {
  params.value(gamma_).setOnes();
  params.value(beta_).setZero();
  const auto d = static_cast<Eigen::Index>(dim_);
  RowVectorMap(buffers.data() + offset_, d).setZero();
  RowVectorMap(buffers.data() + offset_ + dim_, d).setOnes();
}

// mu = mean_i x_i, var = mean_i (x_i - mu)^2, x_hat = (x - mu) / sqrt(var + eps),
// out = gamma * x_hat + beta, running stats <- 0.9 * running + 0.1 * batch
void BatchNorm::forward_train(const ParamSet& params, Matrix& x, std::span<float> buffers) {
  const auto d = static_cast<Eigen::Index>(dim_);
  const ConstRowVectorMap gamma = row_of(params, gamma_);  // (1, d)
  const ConstRowVectorMap beta = row_of(params, beta_);    // (1, d)
  mean_ = x.colwise().mean();
  x_hat_ = x.rowwise() - mean_;  // (n, d)
  var_ = x_hat_.cwiseAbs2().colwise().mean();
  inv_std_ = (var_.array() + kEps).rsqrt();
  x_hat_.array().rowwise() *= inv_std_.array();
  x = (x_hat_.array().rowwise() * gamma.array()).rowwise() + beta.array();

  RowVectorMap running_mean(buffers.data() + offset_, d);
  RowVectorMap running_var(buffers.data() + offset_ + dim_, d);
  running_mean = kMomentum * running_mean + (1.0f - kMomentum) * mean_;
  running_var = kMomentum * running_var + (1.0f - kMomentum) * var_;
}

// out = x * scale + (beta - running_mean * scale), scale = gamma / sqrt(running_var + eps)
void BatchNorm::forward_test(const ParamSet& params, Matrix& x, std::span<const float> buffers) {
  const auto d = static_cast<Eigen::Index>(dim_);
  const ConstRowVectorMap gamma = row_of(params, gamma_);  // (1, d)
  const ConstRowVectorMap beta = row_of(params, beta_);    // (1, d)
  const ConstRowVectorMap running_mean(buffers.data() + offset_, d);
  const ConstRowVectorMap running_var(buffers.data() + offset_ + dim_, d);
  scale_ = gamma.array() * (running_var.array() + kEps).rsqrt();
  shift_ = beta - running_mean.cwiseProduct(scale_);
  x = (x.array().rowwise() * scale_.array()).rowwise() + shift_.array();
}

// dbeta = sum_i dout_i, dgamma = sum_i dout_i * x_hat_i,
// dx = gamma / (n sqrt(var + eps)) * (n dout - dbeta - x_hat * dgamma)
void BatchNorm::backward(ParamSet& params, Matrix& dout) {
  const ConstRowVectorMap gamma = row_of(params, gamma_);  // (1, d)
  RowVectorMap dgamma(params.grad(gamma_).data(), gamma.cols());
  RowVectorMap dbeta(params.grad(beta_).data(), gamma.cols());
  const auto n = static_cast<float>(dout.rows());
  dbeta = dout.colwise().sum();
  dgamma = dout.cwiseProduct(x_hat_).colwise().sum();
  scale_ = gamma.cwiseProduct(inv_std_) / n;
  for (Eigen::Index i = 0; i < dout.rows(); ++i) {
    dout.row(i) =
        (n * dout.row(i) - dbeta - x_hat_.row(i).cwiseProduct(dgamma)).cwiseProduct(scale_);
  }
}

}  // namespace descent

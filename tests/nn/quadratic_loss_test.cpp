// The noisy quadratic: DeepOBS's Hessian against NumPy's
// (tests/nn/reference/make_quadratic_reference.py), the offset layer and the
// loss against centered differences and an independent double computation,
// and the network that puts them together.
#include "descent/nn/quadratic_loss.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/nn/network.hpp"
#include "descent/nn/offset.hpp"
#include "nn/gradient_check.hpp"
#include "support/reference_data.hpp"

namespace descent {
namespace {

// Q in float32 of NumPy's float64: within one float rounding (6e-8 relative)
// of the largest entry, and of its trace and norm; its spectrum is NumPy's
// eigenvalues, the rotation having been drawn from the same generator.
TEST(DeepLearningHessian, IsDeepObsQ) {
  const nlohmann::json ref = testing::quadratic_reference();
  const Matrix& q = deep_learning_hessian();
  ASSERT_EQ(q.rows(), 100);
  ASSERT_EQ(q.cols(), 100);
  const auto row0 = ref.at("hessian_row0").get<std::vector<double>>();
  const auto diagonal = ref.at("hessian_diagonal").get<std::vector<double>>();
  const double largest = q.cwiseAbs().maxCoeff();
  for (Eigen::Index j = 0; j < 100; ++j) {
    const auto k = static_cast<std::size_t>(j);
    EXPECT_NEAR(q(0, j), row0[k], 1e-6 * largest) << "Q[0, " << j << "]";
    EXPECT_NEAR(q(j, j), diagonal[k], 1e-6 * largest) << "Q[" << j << ", " << j << "]";
  }
  const Eigen::MatrixXd qd = q.cast<double>();
  EXPECT_NEAR(qd.trace(), ref.at("hessian_trace").get<double>(), 1e-5);
  EXPECT_NEAR(qd.norm(), ref.at("hessian_frobenius").get<double>(), 1e-5);
  EXPECT_LT((qd - qd.transpose()).cwiseAbs().maxCoeff(), 1e-5);

  std::vector<double> expected = ref.at("eigenvalues").get<std::vector<double>>();
  std::sort(expected.begin(), expected.end());
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(qd);
  for (Eigen::Index i = 0; i < 100; ++i) {
    EXPECT_NEAR(solver.eigenvalues()(i), expected[static_cast<std::size_t>(i)], 1e-4);
  }
  // DeepOBS's spectrum: 90 in (0, 1), 10 in (30, 60).
  EXPECT_LT(solver.eigenvalues()(89), 1.0);
  EXPECT_GT(solver.eigenvalues()(90), 30.0);
}

// out = theta - x; dtheta = sum of dout's rows, dx = -dout.
TEST(Offset, ForwardAndBackwardMatchCenteredDifferences) {
  ParamSet params;
  const Offset offset(params, 1, 5);
  params.allocate();
  Rng rng(3);
  params.value(offset.theta_id()) = test::random_matrix(1, 5, rng);
  Matrix x = test::random_matrix(4, 5, rng);
  const Matrix r = test::random_matrix(4, 5, rng);
  Matrix out;
  offset.forward(params, x, out);
  for (Eigen::Index i = 0; i < 4; ++i) {
    for (Eigen::Index j = 0; j < 5; ++j) {
      EXPECT_EQ(out(i, j), params.value(offset.theta_id())(0, j) - x(i, j));
    }
  }
  Matrix dx;
  offset.backward(params, r, &dx);
  const auto objective = [&] {
    Matrix o;
    offset.forward(params, x, o);
    return test::weighted_sum(o, r);
  };
  float* theta = params.value(offset.theta_id()).data();
  // Linear: only float rounding over 2h is left.
  test::expect_gradient_near(params.grad(offset.theta_id()).data(),
                             test::numeric_gradient(theta, 5, 1e-2f, objective), 1e-4, 1e-4,
                             "dtheta");
  test::expect_gradient_near(dx.data(), test::numeric_gradient(x.data(), 20, 1e-2f, objective),
                             1e-4, 1e-4, "dx");
}

// The loss in double, written from the formula: 1/n sum_i 0.5 q_i^T Q q_i.
double double_loss(const Eigen::MatrixXd& q, const Eigen::MatrixXd& hessian) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < q.rows(); ++i)
    sum += 0.5 * q.row(i).dot(hessian * q.row(i).transpose());
  return sum / static_cast<double>(q.rows());
}

// The network {offset start=1} with the quadratic loss: its loss and
// gradient in float against the double computation (gradient Q (theta - mean x)),
// whose own gradient is checked by centered differences to 1e-6.
TEST(QuadraticLoss, NetworkGradientMatchesDoubleComputationAndCenteredDifferences) {
  NetworkConfig config;
  config.input_dim = kQuadraticDim;
  config.layers = {LayerSpec::offset(1.0f)};
  config.loss = LossKind::quadratic_deep;
  Network net(config, 0);
  ASSERT_EQ(net.params().count(), kQuadraticDim);
  for (const float v : net.params().values().first(kQuadraticDim)) EXPECT_EQ(v, 1.0f);

  Rng rng(9);
  const Matrix x = test::random_matrix(16, 100, rng, 0.6);
  const std::vector<std::int32_t> labels(16, 0);
  const float loss = net.loss_and_grad(x, labels, rng);

  const Eigen::MatrixXd hessian = deep_learning_hessian().cast<double>();
  Eigen::VectorXd theta = Eigen::VectorXd::Ones(100);
  const auto loss_at = [&](const Eigen::VectorXd& t) {
    const Eigen::MatrixXd q = (-x.cast<double>()).rowwise() + t.transpose();
    return double_loss(q, hessian);
  };
  const Eigen::VectorXd mean_x = x.cast<double>().colwise().mean().transpose();
  const Eigen::VectorXd gradient = hessian * (theta - mean_x);
  EXPECT_NEAR(loss, loss_at(theta), 1e-6 * loss_at(theta));
  const float* grad = net.params().grads().data();
  for (Eigen::Index j = 0; j < 100; ++j) {
    EXPECT_NEAR(grad[j], gradient(j), 1e-5 * gradient.cwiseAbs().maxCoeff())
        << "dtheta[" << j << "]";
  }
  for (Eigen::Index j = 0; j < 100; j += 9) {
    const double h = 1e-4;
    Eigen::VectorXd plus = theta;
    Eigen::VectorXd minus = theta;
    plus(j) += h;
    minus(j) -= h;
    const double numeric = (loss_at(plus) - loss_at(minus)) / (2 * h);
    EXPECT_NEAR(numeric, gradient(j), 1e-6 * std::max(1.0, std::abs(gradient(j))));
  }

  // evaluate: the same mean loss, and accuracy 0 as DeepOBS reports it.
  const Network::Evaluation eval = net.evaluate(x, labels, 5);
  EXPECT_NEAR(eval.loss, loss_at(theta), 1e-6 * loss_at(theta));
  EXPECT_EQ(eval.accuracy, 0.0);
}

TEST(QuadraticLoss, ConfigErrorsNameTheLossAndTheShapes) {
  NetworkConfig config;
  config.input_dim = 50;
  config.loss = LossKind::quadratic_deep;
  EXPECT_THROW(config.validate(), ConfigError);  // no layer list
  config.layers = {LayerSpec::offset(1.0f)};
  try {
    config.validate();
    ADD_FAILURE() << "50 outputs accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "offset1: the last layer gives 50 outputs, expected the quadratic's 100");
  }
  EXPECT_EQ(parse_loss_kind("quadratic-deep"), LossKind::quadratic_deep);
  EXPECT_EQ(to_string(LossKind::softmax), "softmax");
  EXPECT_THROW(parse_loss_kind("mse"), ConfigError);
  EXPECT_EQ(to_string(parse_layer_spec("offset start=1")), "offset start=1");
  EXPECT_EQ(parse_layer_spec("offset start=-0.5").bias_init, -0.5f);
  EXPECT_THROW(parse_layer_spec("offset start=x"), ConfigError);
  EXPECT_THROW(parse_layer_spec("offset stride=2"), ConfigError);
}

}  // namespace
}  // namespace descent

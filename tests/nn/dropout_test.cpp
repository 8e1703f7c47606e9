// Inverted dropout: the mask's law and draw order, determinism, test-time
// identity in the network, and the backward pass with a fixed mask.
#include "descent/nn/dropout.hpp"

#include <gtest/gtest.h>

#include <string>

#include "descent/core/error.hpp"
#include "nn/gradient_check.hpp"

namespace descent {
namespace {

TEST(Dropout, MaskIsOneUniformPerElementInRowMajorOrder) {
  const float p = 0.3f;
  Dropout layer(p);
  Rng rng(21);
  Rng copy = rng;
  Matrix x = Matrix::Constant(3, 4, 2.0f);
  layer.forward(x, rng);
  for (Eigen::Index i = 0; i < 3; ++i) {
    for (Eigen::Index j = 0; j < 4; ++j) {
      const float expected = copy.uniform() >= p ? 1.0f / (1.0f - p) : 0.0f;
      EXPECT_EQ(layer.mask()(i, j), expected) << i << "," << j;
      EXPECT_EQ(x(i, j), 2.0f * expected);
    }
  }
  EXPECT_TRUE(rng == copy) << "exactly one draw per element";
}

TEST(Dropout, DropsAboutAFractionPAndKeepsTheMean) {
  Dropout layer(0.25f);
  Rng rng(3);
  Matrix x = Matrix::Ones(200, 200);
  layer.forward(x, rng);
  const double dropped = static_cast<double>((x.array() == 0.0f).count()) / 40000.0;
  // Binomial(40000, 0.25): standard deviation 0.0022.
  EXPECT_NEAR(dropped, 0.25, 0.01);
  EXPECT_NEAR(x.cast<double>().mean(), 1.0, 0.02) << "inverted dropout keeps E[out] = x";
  EXPECT_TRUE(((x.array() == 0.0f) || (x.array() == 1.0f / 0.75f)).all());
}

TEST(Dropout, SameRngStateGivesTheSameMask) {
  Dropout a(0.5f);
  Dropout b(0.5f);
  Rng rng_a(9);
  Rng rng_b(9);
  Matrix xa = Matrix::Ones(5, 7);
  Matrix xb = Matrix::Ones(5, 7);
  a.forward(xa, rng_a);
  b.forward(xb, rng_b);
  EXPECT_EQ(a.mask(), b.mask());
  Matrix xc = Matrix::Ones(5, 7);
  a.forward(xc, rng_a);
  EXPECT_NE(a.mask(), b.mask()) << "the next draw gives a new mask";
}

TEST(Dropout, BackwardMatchesCenteredDifferencesWithAFixedMask) {
  Dropout layer(0.4f);
  Rng data(2);
  Matrix x = test::random_matrix(4, 5, data);
  const Matrix r = test::random_matrix(4, 5, data);
  const Rng start(17);

  Rng rng = start;
  Matrix out = x;
  layer.forward(out, rng);
  Matrix dx = r;
  layer.backward(dx);
  EXPECT_EQ(dx, Matrix(r.cwiseProduct(layer.mask())));

  const auto objective = [&] {
    Rng same = start;
    Matrix o = x;
    layer.forward(o, same);
    return test::weighted_sum(o, r);
  };
  // Linear in x for a fixed mask: only float rounding divided by 2h remains.
  test::expect_gradient_near(
      dx.data(), test::numeric_gradient(x.data(), x.size(), 1e-2f, objective), 1e-3, 1e-4, "dx");
}

TEST(Dropout, RejectsProbabilitiesOutsideZeroToOne) {
  for (const float p : {-0.1f, 1.0f, 1.5f}) {
    try {
      Dropout layer(p);
      ADD_FAILURE() << "accepted p = " << p;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("dropout"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(Dropout(0.0f));
}

}  // namespace
}  // namespace descent

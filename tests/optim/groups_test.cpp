// Parameter groups and gradient clipping, which the base class applies to
// every optimizer.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/optim/registry.hpp"
#include "descent/optim/sgd.hpp"

namespace descent {
namespace {

TEST(Groups, EachGroupGetsItsOwnLearningRateAndDecay) {
  Sgd<double> sgd(SgdConfig{.weight_decay = 0.5});
  sgd.set_groups({{0, 2, 1.0, std::nullopt}, {2, 3, 1.0, 0.0}, {3, 4, 0.5, std::nullopt}});
  std::vector<double> w = {1, 2, 3, 4};
  const std::vector<double> g = {0, 0, 0, 1};
  sgd.step(w, g, 0.1);
  // group 1: w - 0.1 * 0.5 w; group 2: no decay, no gradient; group 3: lr 0.05.
  EXPECT_DOUBLE_EQ(w[0], 1 - 0.1 * 0.5 * 1);
  EXPECT_DOUBLE_EQ(w[1], 2 - 0.1 * 0.5 * 2);
  EXPECT_DOUBLE_EQ(w[2], 3);
  EXPECT_DOUBLE_EQ(w[3], 4 - 0.05 * (1 + 0.5 * 4));
}

TEST(Groups, MustCoverTheBufferInOrder) {
  Sgd<double> sgd;
  sgd.set_groups({{0, 2, 1.0, std::nullopt}, {3, 4, 1.0, std::nullopt}});
  std::vector<double> w(4), g(4);
  EXPECT_THROW(sgd.step(w, g, 0.1), ShapeError);
  Sgd<double> short_groups;
  short_groups.set_groups({{0, 2, 1.0, std::nullopt}});
  EXPECT_THROW(short_groups.step(w, g, 0.1), ShapeError);
  Sgd<double> bad;
  EXPECT_THROW(bad.set_groups({{0, 4, -1.0, std::nullopt}}), ConfigError);
  EXPECT_THROW(bad.set_groups({{0, 4, 1.0, -0.1}}), ConfigError);
}

// As torch.nn.utils.clip_grad_norm_: g * max_norm / (||g|| + 1e-6) when larger.
TEST(Clipping, ByGlobalNormScalesTheWholeGradient) {
  Sgd<double> sgd;
  sgd.set_clipping({.max_norm = 1.0});
  std::vector<double> w = {0, 0};
  sgd.step(w, std::vector<double>{3, 4}, 1.0);
  const double scale = 1.0 / (5.0 + 1e-6);
  EXPECT_DOUBLE_EQ(w[0], -3 * scale);
  EXPECT_DOUBLE_EQ(w[1], -4 * scale);
  std::vector<double> small = {0, 0};
  Sgd<double> untouched;
  untouched.set_clipping({.max_norm = 10.0});
  untouched.step(small, std::vector<double>{3, 4}, 1.0);
  EXPECT_DOUBLE_EQ(small[0], -3);
}

TEST(Clipping, ByValueClampsEachElement) {
  Sgd<float> sgd;
  sgd.set_clipping({.max_value = 0.5});
  std::vector<float> w = {0, 0, 0};
  sgd.step(w, std::vector<float>{2, -3, 0.25f}, 1.0f);
  EXPECT_EQ(w, (std::vector<float>{-0.5f, 0.5f, -0.25f}));
  EXPECT_THROW(sgd.set_clipping({.max_value = -1}), ConfigError);
  EXPECT_THROW(sgd.set_clipping({.max_norm = std::nan("")}), ConfigError);
}

}  // namespace
}  // namespace descent

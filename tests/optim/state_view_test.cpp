// The state views (Optimizer::state, scalars, prepare, set_steps) through
// which other code (the Python package, torch's state_dict) reads and writes
// an optimizer's state in place: a state copied through them into a fresh
// optimizer continues the run bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "descent/core/bytes.hpp"
#include "descent/core/error.hpp"
#include "descent/optim/registry.hpp"

namespace descent {
namespace {

// A smooth gradient of w that changes every step: dw_i = sin(w_i + 0.1 i) + 0.01 t.
std::vector<double> gradient_at(const std::vector<double>& w, int t) {
  std::vector<double> dw(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    dw[i] = std::sin(w[i] + 0.1 * static_cast<double>(i)) + 0.01 * t;
  }
  return dw;
}

void run(Optimizer<double>& optimizer, std::vector<double>& w, int from, int to) {
  for (int t = from; t < to; ++t) {
    const std::vector<double> dw = gradient_at(w, t);
    optimizer.step(w, dw, 0.01);
  }
}

OptimizerOptions options_for(const std::string& name) {
  if (name == "rmsprop") return {{"centered", true}, {"momentum", 0.5}};
  return {};
}

TEST(StateView, CopiedIntoAFreshOptimizerContinuesBitForBit) {
  for (const std::string& name : optimizer_names()) {
    SCOPED_TRACE(name);
    auto original = make_optimizer<double>(name, options_for(name));
    std::vector<double> w(37, 0.5);
    run(*original, w, 0, 7);

    auto copy = make_optimizer<double>(name, options_for(name));
    copy->prepare(w.size());
    const auto from = original->state();
    const auto to = copy->state();
    ASSERT_EQ(from.size(), to.size());
    for (std::size_t b = 0; b < from.size(); ++b) {
      ASSERT_EQ(from[b].name, to[b].name);
      ASSERT_EQ(to[b].values.size(), w.size());
      std::copy(from[b].values.begin(), from[b].values.end(), to[b].values.begin());
    }
    const auto from_scalars = original->scalars();
    const auto to_scalars = copy->scalars();
    ASSERT_EQ(from_scalars.size(), to_scalars.size());
    for (std::size_t k = 0; k < from_scalars.size(); ++k)
      *to_scalars[k].value = *from_scalars[k].value;
    copy->set_steps(original->steps());

    std::vector<double> w_copy = w;
    run(*original, w, 7, 15);
    run(*copy, w_copy, 7, 15);
    EXPECT_EQ(w, w_copy);
  }
}

TEST(StateView, NamesTheBuffersAsTheFormulas) {
  const auto names = [](Optimizer<float>& optimizer) {
    optimizer.prepare(3);
    std::vector<std::string> found;
    for (const auto& buffer : optimizer.state()) {
      EXPECT_EQ(buffer.values.size(), 3u);
      for (const float value : buffer.values) EXPECT_EQ(value, 0.0f);
      found.push_back(buffer.name);
    }
    return found;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(names(*make_optimizer<float>("sgd")), Names{});
  EXPECT_EQ(names(*make_optimizer<float>("momentum")), Names{"velocity"});
  EXPECT_EQ(names(*make_optimizer<float>("rmsprop")), Names{"cache"});
  EXPECT_EQ(names(*make_optimizer<float>("adam")), (Names{"m", "v"}));
  EXPECT_EQ(names(*make_optimizer<float>("amsgrad")), (Names{"m", "v", "v_max"}));
  EXPECT_EQ(make_optimizer<float>("nadam")->scalars().front().name, "mu_product");
}

TEST(StateView, IsEmptyBeforeTheFirstStepAndRefusesAnotherSize) {
  auto adam = make_optimizer<float>("adam");
  EXPECT_TRUE(adam->state().empty());
  adam->prepare(4);
  EXPECT_EQ(adam->size(), 4u);
  EXPECT_THROW(adam->prepare(5), ShapeError);
  EXPECT_THROW(adam->set_steps(-1), ConfigError);
}

TEST(StateView, PreparedOrCountedStateSavesAndLoads) {
  auto prepared = make_optimizer<double>("adam");
  prepared->prepare(3);
  prepared->state()[0].values[1] = 0.25;
  ByteWriter out;
  prepared->save(out);
  auto loaded = make_optimizer<double>("adam");
  ByteReader in(out.bytes(), "state");
  loaded->load(in);
  EXPECT_EQ(loaded->size(), 3u);
  EXPECT_EQ(loaded->steps(), 0);
  EXPECT_EQ(loaded->state()[0].values[1], 0.25);

  auto counted = make_optimizer<double>("nadam");
  counted->set_steps(5);
  ByteWriter counted_out;
  counted->save(counted_out);
  auto counted_loaded = make_optimizer<double>("nadam");
  ByteReader counted_in(counted_out.bytes(), "state");
  counted_loaded->load(counted_in);
  EXPECT_EQ(counted_loaded->steps(), 5);
  EXPECT_TRUE(counted_loaded->state().empty());
}

}  // namespace
}  // namespace descent

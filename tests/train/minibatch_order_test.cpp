// The order of minibatches: a fresh permutation every epoch, or with
// shuffle_once the first epoch's again in every epoch (DeepOBS's TensorFlow
// baselines), and the same batches after a save and load mid-epoch.
#include "descent/train/minibatch_order.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace descent {
namespace {

using Batches = std::vector<std::vector<std::uint32_t>>;

Batches take(MinibatchOrder& order, std::size_t count) {
  Batches batches;
  for (std::size_t i = 0; i < count; ++i) {
    const auto rows = order.next();
    batches.emplace_back(rows.begin(), rows.end());
  }
  return batches;
}

Batches epoch(const Batches& batches, std::size_t e, std::size_t per_epoch) {
  const auto first = batches.begin() + static_cast<std::ptrdiff_t>(e * per_epoch);
  return {first, first + static_cast<std::ptrdiff_t>(per_epoch)};
}

// 10 rows in batches of 3 with the last partial one dropped: 3 batches, 9 rows an epoch.
TEST(MinibatchOrder, ShuffleOnceVisitsTheFirstEpochsOrderEveryEpoch) {
  MinibatchOrder once(10, 3, 7, /*drop_last=*/true, /*shuffle_once=*/true);
  MinibatchOrder fresh(10, 3, 7, /*drop_last=*/true);
  ASSERT_EQ(once.batches_per_epoch(), 3u);
  const Batches a = take(once, 12);
  const Batches b = take(fresh, 12);
  EXPECT_EQ(epoch(a, 0, 3), epoch(b, 0, 3)) << "the first epoch is the same permutation";
  for (std::size_t e = 1; e < 4; ++e) EXPECT_EQ(epoch(a, e, 3), epoch(a, 0, 3)) << "epoch " << e;
  EXPECT_NE(epoch(b, 1, 3), epoch(b, 0, 3)) << "without shuffle_once each epoch is reshuffled";
  EXPECT_NE(epoch(b, 2, 3), epoch(b, 1, 3));
  EXPECT_EQ(once.epochs_done(), 4u);
}

TEST(MinibatchOrder, ShuffleOnceResumesInTheSameOrder) {
  MinibatchOrder whole(10, 4, 3, /*drop_last=*/false, /*shuffle_once=*/true);
  const Batches expected = take(whole, 9);

  MinibatchOrder first(10, 4, 3, false, true);
  Batches got = take(first, 4);  // one epoch of 3 batches, and one of the next
  ByteWriter out;
  first.save(out);
  MinibatchOrder second(10, 4, 3, false, true);
  ByteReader in(out.bytes(), "order");
  second.load(in);
  const Batches rest = take(second, 5);
  got.insert(got.end(), rest.begin(), rest.end());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(epoch(expected, 2, 3), epoch(expected, 0, 3));
}

}  // namespace
}  // namespace descent

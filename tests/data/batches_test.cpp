// BatchSampler: every sample once per epoch, seeded order, and a saved state
// that resumes the same batches.
#include "descent/data/batches.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "data/test_files.hpp"
#include "descent/core/error.hpp"

namespace descent {
namespace {

using testing::throws_with;

std::vector<std::uint32_t> epoch_order(const BatchSampler& sampler) {
  std::vector<std::uint32_t> order;
  for (std::size_t i = 0; i < sampler.batches_per_epoch(); ++i) {
    const auto batch = sampler.batch(i);
    order.insert(order.end(), batch.begin(), batch.end());
  }
  return order;
}

TEST(BatchSampler, CoversEveryIndexOncePerEpochWithASmallerLastBatch) {
  BatchSampler sampler(10, 3);
  Rng rng(5);
  ASSERT_EQ(sampler.batches_per_epoch(), 4u);
  for (int epoch = 0; epoch < 3; ++epoch) {
    sampler.start_epoch(rng);
    EXPECT_EQ(sampler.batch(0).size(), 3u);
    EXPECT_EQ(sampler.batch(2).size(), 3u);
    EXPECT_EQ(sampler.batch(3).size(), 1u);
    std::vector<std::uint32_t> order = epoch_order(sampler);
    std::sort(order.begin(), order.end());
    std::vector<std::uint32_t> expected(10);
    std::iota(expected.begin(), expected.end(), 0u);
    EXPECT_EQ(order, expected);
  }
}

TEST(BatchSampler, BatchCountRoundsUp) {
  EXPECT_EQ(BatchSampler(12, 4).batches_per_epoch(), 3u);
  EXPECT_EQ(BatchSampler(13, 4).batches_per_epoch(), 4u);
  EXPECT_EQ(BatchSampler(3, 8).batches_per_epoch(), 1u);
  EXPECT_EQ(BatchSampler(0, 8).batches_per_epoch(), 0u);
}

TEST(BatchSampler, OrderIsTheGeneratorsShuffle) {
  BatchSampler sampler(50, 7);
  Rng rng(11);
  sampler.start_epoch(rng);
  std::vector<std::uint32_t> expected(50);
  std::iota(expected.begin(), expected.end(), 0u);
  Rng reference(11);
  reference.shuffle(expected);
  EXPECT_EQ(epoch_order(sampler), expected);
}

TEST(BatchSampler, SameSeedSameBatchesAndEpochsDiffer) {
  BatchSampler a(100, 16);
  BatchSampler b(100, 16);
  Rng rng_a(42);
  Rng rng_b(42);
  a.start_epoch(rng_a);
  b.start_epoch(rng_b);
  const std::vector<std::uint32_t> first = epoch_order(a);
  EXPECT_EQ(first, epoch_order(b));
  a.start_epoch(rng_a);
  EXPECT_NE(epoch_order(a), first);
  Rng other(43);
  b.start_epoch(other);
  EXPECT_NE(epoch_order(b), first);
}

TEST(BatchSampler, SaveAndLoadResumeTheSameBatches) {
  BatchSampler original(37, 5);
  Rng rng(9);
  original.start_epoch(rng);
  original.start_epoch(rng);
  ByteWriter out;
  original.save(out);
  const std::string state = rng.save();

  BatchSampler resumed(37, 5);
  ByteReader in(out.bytes(), "checkpoint");
  resumed.load(in);
  EXPECT_TRUE(in.at_end());
  EXPECT_EQ(epoch_order(resumed), epoch_order(original));
  ASSERT_EQ(resumed.batches_per_epoch(), 8u);
  EXPECT_TRUE(std::equal(resumed.batch(7).begin(), resumed.batch(7).end(),
                         original.batch(7).begin(), original.batch(7).end()));

  Rng resumed_rng;
  resumed_rng.load(state);
  original.start_epoch(rng);
  resumed.start_epoch(resumed_rng);
  EXPECT_EQ(epoch_order(resumed), epoch_order(original));
}

TEST(BatchSampler, LoadRejectsAnotherBatchSize) {
  BatchSampler saved(20, 4);
  ByteWriter out;
  saved.save(out);
  BatchSampler other(20, 5);
  ByteReader in(out.bytes(), "ckpt.bin");
  EXPECT_TRUE(throws_with<FormatError>([&] { other.load(in); },
                                       {"ckpt.bin", "batch_size", "expected 5", "found 4"}));
}

TEST(BatchSampler, LoadRejectsAnotherSampleCount) {
  BatchSampler saved(20, 4);
  ByteWriter out;
  saved.save(out);
  BatchSampler other(21, 4);
  ByteReader in(out.bytes(), "ckpt.bin");
  EXPECT_TRUE(throws_with<FormatError>([&] { other.load(in); },
                                       {"ckpt.bin", "order", "expected 21", "found 20"}));
}

TEST(BatchSampler, LoadRejectsAnOrderThatIsNotAPermutation) {
  ByteWriter out;
  out.put<std::uint64_t>(2);
  const std::vector<std::uint32_t> repeated = {0, 2, 2, 1};
  out.put_array<std::uint32_t>(repeated);
  BatchSampler sampler(4, 2);
  ByteReader in(out.bytes(), "ckpt.bin");
  EXPECT_TRUE(throws_with<FormatError>([&] { sampler.load(in); },
                                       {"ckpt.bin", "permutation", "index 2 twice"}));

  ByteWriter past_end;
  past_end.put<std::uint64_t>(2);
  const std::vector<std::uint32_t> too_large = {0, 1, 4, 3};
  past_end.put_array<std::uint32_t>(too_large);
  ByteReader in_past_end(past_end.bytes(), "ckpt.bin");
  EXPECT_TRUE(throws_with<FormatError>([&] { sampler.load(in_past_end); },
                                       {"ckpt.bin", "permutation", "index 4"}));
  // A failed load leaves the sampler as it was.
  EXPECT_EQ(epoch_order(sampler), (std::vector<std::uint32_t>{0, 1, 2, 3}));
}

TEST(BatchSampler, LoadRejectsTruncatedState) {
  BatchSampler saved(20, 4);
  ByteWriter out;
  saved.save(out);
  const std::string cut = out.bytes().substr(0, out.bytes().size() - 3);
  BatchSampler sampler(20, 4);
  ByteReader in(cut, "ckpt.bin");
  EXPECT_TRUE(throws_with<FormatError>([&] { sampler.load(in); }, {"ckpt.bin", "order"}));
}

TEST(BatchSampler, RejectsABatchSizeOfZero) {
  EXPECT_TRUE(throws_with<ConfigError>([] { BatchSampler(10, 0); }, {"batch_size", "got 0"}));
}

TEST(BatchSampler, RejectsABatchIndexPastTheEpoch) {
  const BatchSampler sampler(10, 3);
  EXPECT_TRUE(throws_with<ShapeError>([&] { sampler.batch(4); }, {"batch 4", "below 4"}));
}

}  // namespace
}  // namespace descent

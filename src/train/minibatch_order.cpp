#include "descent/train/minibatch_order.hpp"

namespace descent {

MinibatchOrder::MinibatchOrder(std::size_t n, std::size_t batch_rows, std::uint64_t seed,
                               bool drop_last, bool shuffle_once)
    : sampler_(n, batch_rows, drop_last), rng_(seed), shuffle_once_(shuffle_once) {}

std::span<const std::uint32_t> MinibatchOrder::next() {
  if (batch_ == 0 && (epochs_done_ == 0 || !shuffle_once_)) sampler_.start_epoch(rng_);
  const auto rows = sampler_.batch(batch_);
  if (++batch_ == sampler_.batches_per_epoch()) {
    batch_ = 0;
    ++epochs_done_;
  }
  return rows;
}

std::size_t MinibatchOrder::batches_done() const {
  return batch_ == 0 && epochs_done_ > 0 ? sampler_.batches_per_epoch() : batch_;
}

void MinibatchOrder::save(ByteWriter& out) const {
  out.put_string(rng_.save());
  sampler_.save(out);
  out.put<std::uint64_t>(epochs_done_);
  out.put<std::uint64_t>(batch_);
}

void MinibatchOrder::load(ByteReader& in) {
  rng_.load(in.get_string("data random state"));
  sampler_.load(in);
  epochs_done_ = in.get<std::uint64_t>("epochs done");
  batch_ = in.get<std::uint64_t>("batch");
  if (batch_ >= sampler_.batches_per_epoch()) {
    in.fail("batch", "expected a batch below " + std::to_string(sampler_.batches_per_epoch()) +
                         ", found " + std::to_string(batch_));
  }
}

}  // namespace descent

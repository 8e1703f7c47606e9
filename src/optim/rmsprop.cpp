#include "descent/optim/rmsprop.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#include "descent/optim/optimizer_options.hpp"
#include "descent/optim/parallel_loop.hpp"

namespace descent {

void RmspropConfig::validate() const { check_options(optimizer_option_table(), *this); }

template <typename T>
Rmsprop<T>::Rmsprop(RmspropConfig config) : config_(config) {
  config_.validate();
}

template <typename T>
void Rmsprop<T>::init_state(std::size_t n) {
  cache_.assign(n, T(0));
  grad_avg_.assign(config_.centered ? n : 0, T(0));
  buffer_.assign(config_.momentum > 0 ? n : 0, T(0));
}

template <typename T>
void Rmsprop<T>::update(const Slice<T>& s) {
  const T decay = static_cast<T>(config_.decay_rate);
  const T fresh = static_cast<T>(1 - config_.decay_rate);
  const T eps = static_cast<T>(config_.eps);
  const T mu = static_cast<T>(config_.momentum);
  T* cache = cache_.data() + s.offset;
  T* g_avg = grad_avg_.data() + (config_.centered ? s.offset : 0);
  T* buf = buffer_.data() + (config_.momentum > 0 ? s.offset : 0);
  // cs231n notes, "RMSprop", with torch.optim.RMSprop's centered and momentum:
  //   cache = decay_rate * cache + (1 - decay_rate) * dw^2
  //   g_avg = decay_rate * g_avg + (1 - decay_rate) * dw         (centered)
  //   denominator = sqrt(cache) + eps, or sqrt(cache - g_avg^2) + eps (centered)
  //   w -= learning_rate * dw / denominator                       (mu = 0)
  //   buf = mu * buf + dw / denominator; w -= learning_rate * buf  (mu > 0)
  // The options are template constants, so each variant is its own fused loop.
  const auto run = [&](auto centered, auto with_momentum) {
    for_each_index(s.w.size(), [=](std::size_t i) {
      const T dw = s.grad(i);
      cache[i] = decay * cache[i] + fresh * dw * dw;
      T mean_square = cache[i];
      if constexpr (decltype(centered)::value) {
        g_avg[i] = decay * g_avg[i] + fresh * dw;
        // A variance, >= 0 in exact arithmetic; rounding can take it just
        // below 0 when dw has been constant for long (torch then gives NaN).
        mean_square = std::max(T(0), mean_square - g_avg[i] * g_avg[i]);
      }
      const T denominator = std::sqrt(mean_square) + eps;
      if constexpr (decltype(with_momentum)::value) {
        buf[i] = mu * buf[i] + dw / denominator;
        s.w[i] -= s.lr * buf[i];
      } else {
        s.w[i] -= s.lr * (dw / denominator);
      }
    });
  };
  using std::false_type;
  using std::true_type;
  if (config_.centered) {
    config_.momentum > 0 ? run(true_type{}, true_type{}) : run(true_type{}, false_type{});
  } else {
    config_.momentum > 0 ? run(false_type{}, true_type{}) : run(false_type{}, false_type{});
  }
}

// The variant comes first: which buffers follow depends on it, and state of
// another variant is refused by name rather than misread.
template <typename T>
void Rmsprop<T>::save_state(ByteWriter& out) const {
  out.put<std::uint8_t>(config_.centered);
  out.put<std::uint8_t>(config_.momentum > 0);
  out.put_array<T>(cache_);
  if (config_.centered) out.put_array<T>(grad_avg_);
  if (config_.momentum > 0) out.put_array<T>(buffer_);
}

template <typename T>
void Rmsprop<T>::load_state(ByteReader& in, std::size_t n) {
  const bool centered = in.get<std::uint8_t>("rmsprop centered") != 0;
  const bool with_momentum = in.get<std::uint8_t>("rmsprop momentum") != 0;
  const auto describe = [](bool c, bool m) {
    return std::string(c ? "centered" : "not centered") + (m ? ", with momentum" : ", no momentum");
  };
  if (centered != config_.centered || with_momentum != (config_.momentum > 0)) {
    in.fail("rmsprop variant", "the state was saved " + describe(centered, with_momentum) +
                                   ", the optimizer is " +
                                   describe(config_.centered, config_.momentum > 0));
  }
  load_buffer(in, cache_, n, "rmsprop cache");
  if (centered) load_buffer(in, grad_avg_, n, "rmsprop grad_avg");
  if (with_momentum) load_buffer(in, buffer_, n, "rmsprop momentum buffer");
}

template <typename T>
std::vector<StateBuffer<T>> Rmsprop<T>::state_buffers() {
  std::vector<StateBuffer<T>> buffers{{"cache", cache_}};
  if (!grad_avg_.empty()) buffers.push_back({"grad_avg", grad_avg_});
  if (!buffer_.empty()) buffers.push_back({"momentum_buffer", buffer_});
  return buffers;
}

template class Rmsprop<float>;
template class Rmsprop<double>;

}  // namespace descent

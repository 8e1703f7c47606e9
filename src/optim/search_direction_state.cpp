// The saved history of the search directions (lbfgs.hpp, conjugate_gradient.hpp),
// for checkpoints of training runs that use them. Each load() expects the
// direction to have been reset() to the size it was saved at.
#include "descent/optim/conjugate_gradient.hpp"
#include "descent/optim/lbfgs.hpp"

namespace descent {

namespace {

void check_size(ByteReader& in, std::size_t stored, std::size_t expected, std::string_view field) {
  if (stored != expected) {
    in.fail(field, "expected " + std::to_string(expected) + ", found " + std::to_string(stored));
  }
}

}  // namespace

template <typename T>
void LbfgsDirection<T>::save(ByteWriter& out) const {
  out.put<std::uint64_t>(n_);
  out.put<std::uint64_t>(newest_);
  out.put<std::uint64_t>(stored_);
  out.put<double>(gamma_);
  out.put_array<T>(s_);
  out.put_array<T>(y_);
  out.put_array<double>(rho_);
}

template <typename T>
void LbfgsDirection<T>::load(ByteReader& in) {
  check_size(in, in.get<std::uint64_t>("lbfgs size"), n_, "lbfgs size");
  newest_ = in.get<std::uint64_t>("lbfgs newest pair");
  stored_ = in.get<std::uint64_t>("lbfgs pairs stored");
  if (newest_ >= config_.history || stored_ > config_.history) {
    in.fail("lbfgs pairs stored", "more than the history m = " + std::to_string(config_.history));
  }
  gamma_ = in.get<double>("lbfgs gamma");
  in.get_into<T>(s_, "lbfgs s");
  in.get_into<T>(y_, "lbfgs y");
  in.get_into<double>(rho_, "lbfgs rho");
}

template <typename T>
void ConjugateGradientDirection<T>::save(ByteWriter& out) const {
  out.put<std::uint64_t>(restart_every_);
  out.put<std::uint64_t>(since_restart_);
  out.put<double>(gg_previous_);
  out.put<double>(first_order_change_);
  out.put_array<T>(y_);
}

template <typename T>
void ConjugateGradientDirection<T>::load(ByteReader& in) {
  check_size(in, in.get<std::uint64_t>("cg restart period"), restart_every_, "cg restart period");
  since_restart_ = in.get<std::uint64_t>("cg iterations since restart");
  gg_previous_ = in.get<double>("cg g.g");
  first_order_change_ = in.get<double>("cg first-order change");
  in.get_into<T>(y_, "cg y");
}

template void LbfgsDirection<float>::save(ByteWriter&) const;
template void LbfgsDirection<double>::save(ByteWriter&) const;
template void LbfgsDirection<float>::load(ByteReader&);
template void LbfgsDirection<double>::load(ByteReader&);
template void ConjugateGradientDirection<float>::save(ByteWriter&) const;
template void ConjugateGradientDirection<double>::save(ByteWriter&) const;
template void ConjugateGradientDirection<float>::load(ByteReader&);
template void ConjugateGradientDirection<double>::load(ByteReader&);

}  // namespace descent

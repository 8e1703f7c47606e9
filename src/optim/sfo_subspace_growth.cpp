// SFO's subspace as it grows (sfo.hpp): each evaluation's gradient g adds the
// direction it has outside P, and its coordinates P'g go to the models
// (sfo.py update_subspace and f_df_wrapper, l.430-476 and l.799-802).
//
// sfo.py orthogonalizes g by classical Gram-Schmidt, repeated while the part
// left is 0.1 of the length or less (3 times at most):
//   r = g / |g|;  repeat: r := r - P P'r;  if |r| < eps: nothing is added;
//                         r := r / |r|;  stop if |r| > 0.1
// and appends r to P. The same numbers come here from fewer passes over P,
// the largest array (M x K, read from memory at every pass):
//   A  c = P'g, the gradient's coordinates and Gram-Schmidt's first product;
//      |g - Pc|^2 = |g|^2 - |c|^2 tells whether one subtraction is enough;
//   B  if not: r1 = g - Pc, with P'r1, |r1| and r1'g, block by block in one
//      pass;
//   C  the last subtraction, r = base - P c', waits for the step's
//      x := x + P d, which reads P anyway (move_x); r/|r| becomes P's new
//      column there. The new coordinate of g, r'g / |r|, is known before:
//      |r| after one subtraction, (r1'g - c2'c) / |r2| after two.
// So a step reads P two or three times where sfo.py reads it four to six.
#include <algorithm>
#include <cmath>

#include "descent/optim/sfo.hpp"

namespace descent {

namespace {

constexpr double kEps = 1e-12;       // sfo.py l.119
constexpr double kEnoughLeft = 0.1;  // l.462: one more subtraction unless |r| > 0.1

using ConstRow = Eigen::Map<const Eigen::VectorXd>;

// Row m of P's first k columns.
ConstRow row(const SfoBasis& p, Eigen::Index m, Eigen::Index k) {
  return ConstRow(p.data() + m * p.cols(), k);
}

// out = P'v over P's first k columns, a row of P at a time (out += v_m P_m).
void times_transposed(const SfoBasis& p, Eigen::Index k, const Eigen::Ref<const Eigen::VectorXd>& v,
                      Eigen::Ref<Eigen::VectorXd> out) {
  auto sum = out.head(k);
  sum.setZero();
  for (Eigen::Index m = 0; m < p.rows(); ++m) sum.noalias() += v[m] * row(p, m, k);
}

// out = P c over P's first k columns.
void times(const SfoBasis& p, Eigen::Index k, const Eigen::Ref<const Eigen::VectorXd>& c,
           Eigen::VectorXd& out) {
  const auto coeffs = c.head(k);
  for (Eigen::Index m = 0; m < p.rows(); ++m) out[m] = row(p, m, k).dot(coeffs);
}

}  // namespace

// coords = P'v (the unused coordinates zero).
void Sfo::project(const Eigen::VectorXd& v, Eigen::Ref<Eigen::VectorXd> coords) {
  const SfoState& s = state_;
  materialize_pending();
  if (s.full_space) {
    coords = v;
    return;
  }
  const auto k = static_cast<Eigen::Index>(s.k_used);
  coords.tail(coords.size() - k).setZero();
  times_transposed(s.basis, k, v, coords);
}

// v = P coords.
void Sfo::lift(const Eigen::Ref<const Eigen::VectorXd>& coords, Eigen::VectorXd& v) {
  const SfoState& s = state_;
  materialize_pending();
  if (s.full_space) {
    v = coords;
    return;
  }
  times(s.basis, static_cast<Eigen::Index>(s.k_used), coords, v);
}

// Appends a unit vector orthogonal to P as its next column; a full subspace
// collapses, keeping g (whose coordinates, the new one included, are in
// coords), and coords become g's coordinates in the new basis.
void Sfo::append_column(const Eigen::VectorXd& column, std::span<const double> gradient,
                        Eigen::Ref<Eigen::VectorXd> coords) {
  SfoState& s = state_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  for (Eigen::Index m = 0; m < s.basis.rows(); ++m) s.basis(m, k) = column[m];
  ++s.k_used;
  if (s.k_used < s.k_max) return;
  collapse(coords);
  const Eigen::Map<const Eigen::VectorXd> g(gradient.data(), static_cast<Eigen::Index>(s.dim));
  coords.setZero();
  times_transposed(s.basis, static_cast<Eigen::Index>(s.k_used), g, coords);
}

// Makes `base` - P coeffs, over the columns before it, P's pending column
// (step C waits for move_x). The new coordinate is set by the caller.
void Sfo::defer_column(const Eigen::VectorXd& base,
                       const Eigen::Ref<const Eigen::VectorXd>& coeffs) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  w.pending_base = &base;
  w.pending_coeffs.head(k) = coeffs.head(k);
  ++s.k_used;
}

// The pending column, formed now: r = base - P c, r / |r|.
void Sfo::materialize_pending() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  if (w.pending_base == nullptr) return;
  const auto k = static_cast<Eigen::Index>(s.k_used) - 1;
  const Eigen::VectorXd& base = *w.pending_base;
  const auto c = w.pending_coeffs.head(k);
  double norm2 = 0;
  for (Eigen::Index m = 0; m < s.basis.rows(); ++m) {
    const double r = base[m] - row(s.basis, m, k).dot(c);
    s.basis(m, k) = r;
    norm2 += r * r;
  }
  s.basis.col(k) /= std::sqrt(norm2);
  w.pending_base = nullptr;
}

// x := x + P d; a pending column is formed in the same pass over P:
//   P_m c, P_m d for each row m;  P_mk = base_m - P_m c;  x_m += P_m d
// then P's new column is normalized and its part of the step added.
void Sfo::move_x(const Eigen::Ref<const Eigen::VectorXd>& d) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  if (s.full_space) {
    s.x += d.head(k);
    return;
  }
  if (w.pending_base == nullptr) {
    const auto step = d.head(k);
    for (Eigen::Index m = 0; m < s.basis.rows(); ++m) s.x[m] += row(s.basis, m, k).dot(step);
    return;
  }
  const Eigen::Index old = k - 1;
  const auto c = w.pending_coeffs.head(old);
  const auto step = d.head(old);
  const Eigen::VectorXd& base = *w.pending_base;
  double norm2 = 0;
  for (Eigen::Index m = 0; m < s.basis.rows(); ++m) {
    const auto p = row(s.basis, m, old);
    const double r = base[m] - p.dot(c);
    s.basis(m, old) = r;
    norm2 += r * r;
    s.x[m] += p.dot(step);
  }
  const double scale = 1 / std::sqrt(norm2);
  for (Eigen::Index m = 0; m < s.basis.rows(); ++m) {
    s.basis(m, old) *= scale;
    s.x[m] += d[old] * s.basis(m, old);
  }
  w.pending_base = nullptr;
}

// sfo.py l.430-476 and l.799-802, in the passes of the file's header; the
// gradient is w.gradient, whose new direction may wait in it until move_x.
void Sfo::add_gradient(std::span<const double> gradient, Eigen::Ref<Eigen::VectorXd> coords) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const Eigen::Map<const Eigen::VectorXd> g(gradient.data(), static_cast<Eigen::Index>(s.dim));
  coords.setZero();
  if (s.full_space) {
    coords = g;
    return;
  }
  const auto k = static_cast<Eigen::Index>(s.k_used);
  times_transposed(s.basis, k, w.gradient, coords);  // A
  const auto c = coords.head(k);
  if (!g.allFinite()) return;
  const double length2 = g.squaredNorm();
  if (std::sqrt(length2) < kEps) return;
  const bool room = s.k_used + 1 < s.k_max;        // no collapse follows the new column
  const double left2 = length2 - c.squaredNorm();  // |g - Pc|^2
  if (room && left2 > kEnoughLeft * kEnoughLeft * length2) {
    defer_column(w.gradient, c);
    coords[k] = std::sqrt(left2);
    return;
  }

  // B: r1 = g - Pc, with P'r1, |r1|^2 and r1'g, a row at a time.
  auto correction = w.correction.head(k);
  correction.setZero();
  double norm2 = 0, along = 0;
  for (Eigen::Index m = 0; m < s.basis.rows(); ++m) {
    const auto p = row(s.basis, m, k);
    const double r = g[m] - p.dot(c);
    w.residual[m] = r;
    correction.noalias() += r * p;
    norm2 += r * r;
    along += r * g[m];
  }
  const double norm = std::sqrt(norm2);
  if (norm < kEps * std::sqrt(length2)) return;  // g lies in the subspace
  w.residual /= norm;
  correction /= norm;
  along /= norm;  // r1'g, r1 now of unit length
  if (norm > kEnoughLeft * std::sqrt(length2)) {
    coords[k] = along;
    append_column(w.residual, gradient, coords);
    return;
  }
  const double left2_second = 1 - correction.squaredNorm();  // |r1 - P P'r1|^2
  if (room && left2_second > kEnoughLeft * kEnoughLeft) {
    coords[k] = (along - correction.dot(c)) / std::sqrt(left2_second);
    defer_column(w.residual, correction);
    return;
  }
  // Rare: the second subtraction leaves 0.1 or less too; sfo.py's passes as written.
  for (int pass = 1; pass < 3; ++pass) {
    times_transposed(s.basis, k, w.residual, w.correction);
    times(s.basis, k, w.correction, w.lifted);
    w.residual -= w.lifted;
    const double left = w.residual.norm();
    if (left < kEps) return;
    w.residual /= left;
    if (left > kEnoughLeft) break;
  }
  coords[k] = w.residual.dot(g);
  append_column(w.residual, gradient, coords);
}

}  // namespace descent

// Which subfunction SFO evaluates next (sfo.py get_target_index, l.811-883).
#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/optim/introsort_order.hpp"
#include "descent/optim/sfo.hpp"

namespace descent {

namespace {

constexpr double kEps = 1e-12;  // sfo.py l.119

}  // namespace

// A random one of `candidates` (ascending), or the first in deterministic mode
// (the reference's deterministic runs replace np.random.permutation by the
// identity).
std::size_t Sfo::pick(std::span<const std::size_t> candidates) {
  if (config_.deterministic) return candidates.front();
  return candidates[state_.rng.below(candidates.size())];
}

// 1. An active subfunction evaluated once is evaluated again at once (the
//    lowest such index), so that it has a pair for its Hessian.
// 2. Else one never evaluated, at random.
// 3. Else the configured rule; 'distance both' flips a fair coin between
//    'distance' and 'single distance' at each step.
std::size_t Sfo::choose_subfunction() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.active[i] && s.evals[i] == 1) return i;
  }
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.active[i] && s.evals[i] < 2) w.candidates[n++] = i;
  }
  if (n > 0) return pick({w.candidates.data(), n});

  SfoSelection rule = config_.selection;
  if (rule == SfoSelection::distance_both) {
    rule = s.rng.uniform() < 0.5 ? SfoSelection::distance : SfoSelection::single_distance;
  }
  switch (rule) {
    case SfoSelection::distance:
      return farthest_in_total_metric();
    case SfoSelection::single_distance:
      return farthest_in_own_metric();
    case SfoSelection::random:
    case SfoSelection::cyclic:
    case SfoSelection::distance_both:
      break;
  }
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.active[i]) w.candidates[n++] = i;
  }
  if (rule == SfoSelection::random) return pick({w.candidates.data(), n});
  // 'cyclic': the active subfunctions in index order, round and round.
  const std::size_t j = w.candidates[s.cyclic_next];
  s.cyclic_next = (s.cyclic_next + 1) % n;
  return j;
}

// 'distance' (l.834-856): the active subfunction whose last evaluation is
// farthest from x in the metric of the total Hessian,
//   j = argmax_i (x - x_i)' H (x - x_i),   H = full_H + I sum_active lambda_i,
// taken as sfo.py takes it: the first active index in numpy.argsort's order
// of the negated distances of all N (introsort_order.hpp), so that equal
// distances resolve as in the reference. Subfunctions last evaluated at the
// same point get the same distance, bit for bit. When every active
// subfunction was evaluated at x itself (all distances below eps), a random
// inactive one is activated and chosen instead.
std::size_t Sfo::farthest_in_total_metric() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  const auto n = static_cast<Eigen::Index>(s.count);
  auto diffs = w.diffs.topLeftCorner(k, n);
  auto mapped = w.diffs_mapped.topLeftCorner(k, n);
  diffs = (-s.last_x.topRows(k)).colwise() + s.x_proj.head(k);
  mapped.noalias() = s.hessian_sum.topLeftCorner(k, k) * diffs;
  mapped += diagonal_sum() * diffs;
  double farthest = -std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < n; ++i) {
    double distance = diffs.col(i).dot(mapped.col(i));
    for (Eigen::Index earlier = 0; earlier < i; ++earlier) {
      if (s.last_x.col(i).head(k) == s.last_x.col(earlier).head(k)) {
        distance = -w.distances[static_cast<std::size_t>(earlier)];
        break;
      }
    }
    w.distances[static_cast<std::size_t>(i)] = -distance;
    if (s.active[static_cast<std::size_t>(i)]) farthest = std::max(farthest, distance);
  }
  introsort_argsort(w.distances, w.order);
  std::size_t j = 0;
  for (const std::size_t i : w.order) {
    if (s.active[i]) {
      j = i;
      break;
    }
  }
  if (farthest < kEps && s.evals[j] > 0) {
    std::size_t inactive = 0;
    for (std::size_t i = 0; i < s.count; ++i) {
      if (!s.active[i]) w.candidates[inactive++] = i;
    }
    if (inactive > 0) {
      const std::size_t fresh = pick({w.candidates.data(), inactive});
      s.active[fresh] = 1;
      return fresh;
    }
  }
  return j;
}

// 'single distance' (l.858-868): farthest in the subfunction's own metric,
//   j = argmax_i (x - x_i)' H_i (x - x_i),
// H_i = B_i diag(sign_i) B_i' + lambda_i I; the lowest index on ties.
std::size_t Sfo::farthest_in_own_metric() {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  std::size_t best = 0;
  double farthest = -1;
  bool found = false;
  auto diff = w.scratch.head(k);
  for (std::size_t i = 0; i < s.count; ++i) {
    if (!s.active[i]) continue;
    const auto col = static_cast<Eigen::Index>(i);
    diff = s.x_proj.head(k) - s.last_x.col(col).head(k);
    const auto cols = static_cast<Eigen::Index>(s.factor_cols[i]);
    const auto first = static_cast<Eigen::Index>(2 * s.history * i);
    auto& projected = w.column;
    projected.resize(cols);
    projected.noalias() = s.factor.block(0, first, k, cols).transpose() * diff;
    double distance = s.min_eig[col] * diff.squaredNorm();
    for (Eigen::Index c = 0; c < cols; ++c) {
      distance += s.sign[static_cast<std::size_t>(first + c)] * projected[c] * projected[c];
    }
    if (!found || distance > farthest) {
      farthest = distance;
      best = i;
      found = true;
    }
  }
  return best;
}

}  // namespace descent

// The Sum of Functions Optimizer (sfo.hpp): construction, the step
// (sfo.py's optimization_step, l.1024-1115), the evaluation of a subfunction,
// views of the models, and the saved state.
#include "descent/optim/sfo.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/core/error.hpp"

namespace descent {

namespace {

// sfo.py l.111-125: K_min = min(2N + 2, M) (the N last gradients and
// positions and the current ones), K_max = min(ceil(1.5 K_min), M).
std::size_t subspace_min(std::size_t dim, std::size_t subfunctions) {
  return std::min(2 * subfunctions + 2, dim);
}
std::size_t subspace_max(std::size_t dim, std::size_t subfunctions) {
  return std::min((3 * subspace_min(dim, subfunctions) + 1) / 2, dim);
}

std::size_t state_bytes(std::size_t dim, std::size_t n, std::size_t l, std::size_t k_max) {
  const std::size_t doubles = dim * k_max + 2 * dim + k_max + 2 * k_max * n + n +
                              2 * k_max * l * n + k_max * 2 * l * n + 2 * n + k_max * k_max;
  return doubles * sizeof(double) + 2 * l * n * sizeof(std::int8_t) +
         2 * n * sizeof(std::uint32_t) + n * sizeof(std::uint8_t) + n * sizeof(std::uint64_t) +
         sizeof(SfoState);
}

std::size_t doubles(const Eigen::MatrixXd& m) { return static_cast<std::size_t>(m.size()); }
std::size_t doubles(const Eigen::VectorXd& v) { return static_cast<std::size_t>(v.size()); }

std::span<const double> view(const Eigen::VectorXd& v) {
  return {v.data(), static_cast<std::size_t>(v.size())};
}

void put_matrix(ByteWriter& out, const Eigen::MatrixXd& m) {
  out.put_array<double>(std::span<const double>(m.data(), doubles(m)));
}
void get_matrix(ByteReader& in, Eigen::MatrixXd& m, std::string_view field) {
  in.get_into<double>(std::span<double>(m.data(), doubles(m)), field);
}
void get_vector(ByteReader& in, Eigen::VectorXd& v, std::string_view field) {
  in.get_into<double>(std::span<double>(v.data(), doubles(v)), field);
}

}  // namespace

std::size_t Sfo::memory_bytes(std::size_t dim, std::size_t subfunctions, const SfoConfig& config) {
  const std::size_t k_min = subspace_min(dim, subfunctions);
  const std::size_t k_max = subspace_max(dim, subfunctions);
  return state_bytes(dim, subfunctions, config.history, k_max) +
         SfoWorkspace::bytes_for(dim, subfunctions, config.history, k_min, k_max);
}

std::size_t Sfo::memory_bytes() const {
  const SfoState& s = state_;
  std::size_t count = 0;
  count += static_cast<std::size_t>(s.basis.size());
  for (const Eigen::MatrixXd* m :
       {&s.last_x, &s.last_grad, &s.delta_x, &s.delta_grad, &s.factor, &s.hessian_sum}) {
    count += doubles(*m);
  }
  for (const Eigen::VectorXd* v :
       {&s.x, &s.x_prior, &s.x_proj, &s.last_f, &s.min_eig, &s.max_eig}) {
    count += doubles(*v);
  }
  return count * sizeof(double) + s.sign.size() * sizeof(std::int8_t) +
         (s.pairs.size() + s.factor_cols.size()) * sizeof(std::uint32_t) +
         s.active.size() * sizeof(std::uint8_t) + s.evals.size() * sizeof(std::uint64_t) +
         sizeof(SfoState) + work_->bytes();
}

// sfo.py __init__ (l.88-203).
Sfo::Sfo(std::span<const double> x0, std::size_t subfunctions, SfoConfig config, std::uint64_t seed)
    : config_(config) {
  const std::size_t dim = x0.size(), n = subfunctions, l = config_.history;
  if (dim == 0) throw ConfigError("x0: expected at least one parameter, got none");
  if (n == 0) throw ConfigError("subfunctions: expected N >= 1, got 0");
  config_.validate_for(dim, n);
  for (std::size_t i = 0; i < dim; ++i) {
    if (!std::isfinite(x0[i])) {
      throw ConfigError("x0: coordinate " + std::to_string(i) + " is not finite");
    }
  }
  SfoState& s = state_;
  s.dim = dim;
  s.count = n;
  s.history = l;
  s.k_min = subspace_min(dim, n);
  s.k_max = subspace_max(dim, n);
  s.full_space = s.k_max == dim;
  s.rng = Rng(seed);
  const auto k = static_cast<Eigen::Index>(s.k_max);
  const auto cols = static_cast<Eigen::Index>(n);
  const auto history_cols = static_cast<Eigen::Index>(l * n);

  // l.142-147: init_subf subfunctions, drawn at random, start active with
  // curvature hessian_init.
  s.active.assign(n, 0);
  s.min_eig = Eigen::VectorXd::Zero(cols);
  s.max_eig = Eigen::VectorXd::Zero(cols);
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  const std::size_t initial = std::min(config_.initial_active, n);
  for (std::size_t t = 0; t < initial; ++t) {
    if (!config_.deterministic) std::swap(order[t], order[t + s.rng.below(n - t)]);
    s.active[order[t]] = 1;
    s.min_eig[static_cast<Eigen::Index>(order[t])] = config_.hessian_init;
    s.max_eig[static_cast<Eigen::Index>(order[t])] = config_.hessian_init;
  }

  // l.159-173: P's first column is x0 / |x0| (a random direction when x0 = 0);
  // P = I when the subspace would span everything.
  s.x = Eigen::Map<const Eigen::VectorXd>(x0.data(), static_cast<Eigen::Index>(dim));
  s.x_prior = s.x;
  s.basis = SfoBasis::Zero(static_cast<Eigen::Index>(dim), k);
  if (s.full_space) {
    s.basis.setIdentity();
    s.k_used = dim;
  } else {
    double norm = s.x.norm();
    if (norm > 0) {
      s.basis.col(0) = s.x / norm;
    } else {
      for (Eigen::Index i = 0; i < s.basis.rows(); ++i) s.basis(i, 0) = s.rng.normal();
      norm = s.basis.col(0).norm();
      s.basis.col(0) /= norm;
    }
    s.k_used = 1;
  }
  s.x_proj = Eigen::VectorXd::Zero(k);
  const auto used = static_cast<Eigen::Index>(s.k_used);
  s.x_proj.head(used).noalias() = s.basis.leftCols(used).transpose() * s.x;

  // l.176-196: every model starts at x0 with no gradient, history or factor.
  s.last_x = s.x_proj.replicate(1, cols);
  s.last_grad = Eigen::MatrixXd::Zero(k, cols);
  s.last_f = Eigen::VectorXd::Constant(cols, std::numeric_limits<double>::quiet_NaN());
  s.delta_x = Eigen::MatrixXd::Zero(k, history_cols);
  s.delta_grad = Eigen::MatrixXd::Zero(k, history_cols);
  s.pairs.assign(n, 0);
  s.factor = Eigen::MatrixXd::Zero(k, 2 * history_cols);
  s.sign.assign(2 * l * n, 1);
  s.factor_cols.assign(n, 0);
  s.hessian_sum = Eigen::MatrixXd::Zero(k, k);
  s.evals.assign(n, 0);
  work_ = std::make_unique<SfoWorkspace>(dim, n, l, s.k_min, s.k_max);
}

Sfo::~Sfo() = default;
Sfo::Sfo(Sfo&&) noexcept = default;
Sfo& Sfo::operator=(Sfo&&) noexcept = default;

std::span<const double> Sfo::x() const { return view(state_.x); }

double Sfo::passes() const {
  return static_cast<double>(state_.total_evals) / static_cast<double>(state_.count);
}

std::size_t Sfo::active_subfunctions() const {
  return static_cast<std::size_t>(std::count(state_.active.begin(), state_.active.end(), 1));
}

// sfo.py f_df_wrapper (l.783-808): f_j and its gradient at `at`; the gradient
// joins the subspace (which may collapse), and its coordinates go to grad_proj.
double Sfo::evaluate(SumOfFunctions& problem, std::size_t j, std::span<const double> at,
                     Eigen::Ref<Eigen::VectorXd> grad_proj) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  materialize_pending();  // its base may be the gradient buffer
  const double f = problem.evaluate(j, at, {w.gradient.data(), s.dim});
  add_gradient(view(w.gradient), grad_proj);
  ++s.evals[j];
  ++s.total_evals;
  return f;
}

// sfo.py optimization_step (l.1024-1115).
SfoStepReport Sfo::step(SumOfFunctions& problem) {
  SfoState& s = state_;
  SfoWorkspace& w = *work_;
  if (problem.dim() != s.dim || problem.subfunctions() != s.count) {
    throw ShapeError("sfo: the problem has M = " + std::to_string(problem.dim()) +
                     ", N = " + std::to_string(problem.subfunctions()) +
                     "; the optimizer was made for M = " + std::to_string(s.dim) +
                     ", N = " + std::to_string(s.count));
  }
  const std::uint64_t evals_before = s.total_evals;
  const std::uint64_t collapses_before = s.collapses;
  SfoStepReport report;
  report.subfunction = choose_subfunction();
  const std::size_t j = report.subfunction;

  double f = evaluate(problem, j, view(s.x), w.grad_proj);
  report.rejected = handle_rejection(problem, j, f);
  // l.1052: the pair (s, y) since j's last evaluation joins its history. An
  // evaluation that is not finite (at the previous point too) leaves j's
  // model as it was.
  if (std::isfinite(f) && w.grad_proj.allFinite()) push_history(j, s.x_proj, f, w.grad_proj);
  s.total_distance += (s.x - s.x_prior).norm();  // l.1055
  update_hessian(j);                             // l.1057-1064
  newton_step();                                 // l.1066-1108
  grow_active_set(report.rejected);              // l.1111

  ++s.steps;
  if (report.rejected) ++s.rejections;
  report.value = f;
  report.evaluations = static_cast<std::size_t>(s.total_evals - evals_before);
  report.collapsed = s.collapses != collapses_before;
  return report;
}

// sfo.py replace_subfunction (l.280-327), with both histories cleared.
void Sfo::replace_subfunction(std::size_t i) {
  SfoState& s = state_;
  if (i >= s.count) {
    throw ConfigError("subfunction: expected an index below N = " + std::to_string(s.count) +
                      ", got " + std::to_string(i));
  }
  if (s.evals[i] < 1) return;
  const auto l = static_cast<Eigen::Index>(s.history);
  const auto first = static_cast<Eigen::Index>(i) * l;
  s.delta_x.middleCols(first, l).setZero();
  s.delta_grad.middleCols(first, l).setZero();
  s.pairs[i] = 0;
  s.evals[i] = 0;
}

Eigen::MatrixXd Sfo::subfunction_hessian(std::size_t i) const {
  const SfoState& s = state_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  const auto cols = static_cast<Eigen::Index>(s.factor_cols[i]);
  const auto first = static_cast<Eigen::Index>(2 * s.history * i);
  const auto b = s.factor.block(0, first, k, cols);
  Eigen::VectorXd signs(cols);
  for (Eigen::Index c = 0; c < cols; ++c) signs[c] = s.sign[static_cast<std::size_t>(first + c)];
  Eigen::MatrixXd h = b * signs.asDiagonal() * b.transpose();
  h.diagonal().array() += s.min_eig[static_cast<Eigen::Index>(i)];
  return h;
}

// G(x) = sum_i g_i(x) over the subfunctions evaluated so far.
double Sfo::model_value() const {
  const SfoState& s = state_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  double total = 0;
  for (std::size_t i = 0; i < s.count; ++i) {
    const auto col = static_cast<Eigen::Index>(i);
    if (!std::isfinite(s.last_f[col])) continue;
    const Eigen::VectorXd d = s.x_proj.head(k) - s.last_x.col(col).head(k);
    total += s.last_f[col] + s.last_grad.col(col).head(k).dot(d) +
             0.5 * d.dot(subfunction_hessian(i) * d);
  }
  return total;
}

// grad G(x) = P sum_i [grad f_i(x_i) + H_i (x - x_i)] (sfo.py l.1066-1073).
Eigen::VectorXd Sfo::model_gradient() const {
  const SfoState& s = state_;
  const auto k = static_cast<Eigen::Index>(s.k_used);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(k);
  for (std::size_t i = 0; i < s.count; ++i) {
    const auto col = static_cast<Eigen::Index>(i);
    const Eigen::VectorXd d = s.x_proj.head(k) - s.last_x.col(col).head(k);
    grad += s.last_grad.col(col).head(k) + subfunction_hessian(i) * d;
  }
  return s.basis.leftCols(k) * grad;
}

void Sfo::save(ByteWriter& out) const {
  const SfoState& s = state_;
  for (const std::size_t size : {s.dim, s.count, s.history, s.k_min, s.k_max, s.k_used}) {
    out.put<std::uint64_t>(size);
  }
  // P's columns in use, row by row.
  const auto used = static_cast<Eigen::Index>(s.k_used);
  std::vector<double> basis(s.dim * s.k_used);
  Eigen::Map<SfoBasis>(basis.data(), s.basis.rows(), used) = s.basis.leftCols(used);
  out.put_array<double>(basis);
  for (const Eigen::VectorXd* v :
       {&s.x, &s.x_prior, &s.x_proj, &s.last_f, &s.min_eig, &s.max_eig}) {
    out.put_array<double>(view(*v));
  }
  for (const Eigen::MatrixXd* m :
       {&s.last_x, &s.last_grad, &s.delta_x, &s.delta_grad, &s.factor, &s.hessian_sum}) {
    put_matrix(out, *m);
  }
  out.put_array<std::uint32_t>(s.pairs);
  out.put_array<std::int8_t>(s.sign);
  out.put_array<std::uint32_t>(s.factor_cols);
  out.put_array<std::uint8_t>(s.active);
  out.put_array<std::uint64_t>(s.evals);
  for (const double v : {s.step_scale, s.total_distance, s.predicted_improvement}) {
    out.put<double>(v);
  }
  for (const std::uint64_t v : {s.total_evals, s.steps, s.rejections, s.since_growth, s.collapses,
                                static_cast<std::uint64_t>(s.cyclic_next)}) {
    out.put<std::uint64_t>(v);
  }
  out.put_string(s.rng.save());
}

void Sfo::load(ByteReader& in) {
  SfoState& s = state_;
  const char* names[] = {"sfo M", "sfo N", "sfo history", "sfo K_min", "sfo K_max"};
  const std::size_t expected[] = {s.dim, s.count, s.history, s.k_min, s.k_max};
  for (std::size_t i = 0; i < 5; ++i) {
    const auto stored = in.get<std::uint64_t>(names[i]);
    if (stored != expected[i]) {
      in.fail(names[i],
              "expected " + std::to_string(expected[i]) + ", found " + std::to_string(stored));
    }
  }
  const auto k_used = in.get<std::uint64_t>("sfo subspace dimension");
  if (k_used < 1 || k_used > (s.full_space ? s.dim : s.k_max)) {
    in.fail("sfo subspace dimension", "out of range: " + std::to_string(k_used));
  }
  s.k_used = k_used;
  std::vector<double> basis(s.dim * s.k_used);
  in.get_into<double>(std::span<double>(basis), "sfo basis");
  const auto used = static_cast<Eigen::Index>(s.k_used);
  s.basis.setZero();
  s.basis.leftCols(used) = Eigen::Map<const SfoBasis>(basis.data(), s.basis.rows(), used);
  get_vector(in, s.x, "sfo x");
  get_vector(in, s.x_prior, "sfo previous x");
  get_vector(in, s.x_proj, "sfo projected x");
  get_vector(in, s.last_f, "sfo last values");
  get_vector(in, s.min_eig, "sfo smallest eigenvalues");
  get_vector(in, s.max_eig, "sfo largest eigenvalues");
  get_matrix(in, s.last_x, "sfo last positions");
  get_matrix(in, s.last_grad, "sfo last gradients");
  get_matrix(in, s.delta_x, "sfo position history");
  get_matrix(in, s.delta_grad, "sfo gradient history");
  get_matrix(in, s.factor, "sfo Hessian factors");
  get_matrix(in, s.hessian_sum, "sfo Hessian sum");
  in.get_into<std::uint32_t>(s.pairs, "sfo pairs stored");
  in.get_into<std::int8_t>(s.sign, "sfo factor signs");
  in.get_into<std::uint32_t>(s.factor_cols, "sfo factor columns");
  in.get_into<std::uint8_t>(s.active, "sfo active set");
  in.get_into<std::uint64_t>(s.evals, "sfo evaluation counts");
  for (std::size_t i = 0; i < s.count; ++i) {
    if (s.pairs[i] > s.history || s.factor_cols[i] > 2 * s.history) {
      in.fail("sfo pairs stored", "more than the history L = " + std::to_string(s.history));
    }
  }
  s.step_scale = in.get<double>("sfo step scale");
  s.total_distance = in.get<double>("sfo total distance");
  s.predicted_improvement = in.get<double>("sfo predicted improvement");
  s.total_evals = in.get<std::uint64_t>("sfo evaluations");
  s.steps = in.get<std::uint64_t>("sfo steps");
  s.rejections = in.get<std::uint64_t>("sfo rejections");
  s.since_growth = in.get<std::uint64_t>("sfo steps since the active set grew");
  s.collapses = in.get<std::uint64_t>("sfo collapses");
  s.cyclic_next = in.get<std::uint64_t>("sfo cyclic position");
  s.rng.load(in.get_string("sfo random state"));
}

}  // namespace descent

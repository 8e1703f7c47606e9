// The Sum of Functions Optimizer (SFO): Sohl-Dickstein, Poole & Ganguli 2014,
// "Fast large-scale optimization by unifying stochastic gradient and
// quasi-Newton methods", ICML (arXiv 1311.2115), as the authors' sfo.py
// (github.com/Sohl-Dickstein/Sum-of-Functions-Optimizer, commit 36c66df)
// computes it; the line numbers cited in sfo_*.cpp are that file's.
//
// It minimizes F(x) = sum_i f_i(x) (sum_of_functions.hpp) with one quadratic
// model per subfunction, around the point x_i where f_i was last evaluated,
//   g_i(x) = f_i(x_i) + (x - x_i)' grad f_i(x_i) + 1/2 (x - x_i)' H_i (x - x_i),
// H_i a BFGS estimate from f_i's own last L (s, y) pairs. Each step evaluates
// one f_j at the current x, refreshes g_j, and jumps to the minimizer of
// G = sum_i g_i, a Newton step:
//   x <- x - step_scale H^-1 grad G(x),   H = sum_i H_i.
// All of it lives in a shared subspace of dimension K_max ~ 3N + 3, spanned
// by recent gradients and positions (P, M x K_max, orthonormal), so that
// nothing per subfunction has length M. In the steps' order (sfo.cpp):
//   1. choose j (sfo_selection.cpp)
//   2. evaluate f_j, grad f_j; add the gradient to the subspace
//      (sfo_subspace_growth.cpp), collapsing it when full (sfo_subspace.cpp)
//   3. reject the step if f_j rose more than the models predict, backing off
//      towards the previous point (sfo_rejection.cpp)
//   4. push (s, y) into j's history; rebuild H_j, positive definite
//      (sfo_models.cpp)
//   5. the Newton step on G with its length clamps; grow the active set
//      (sfo_newton.cpp)
//
// Conventions where this differs from sfo.py, each a defect of the reference
// (the rest follows it line by line, so that the deterministic configuration
// reproduces its trajectories):
//   - a zero model gradient gives no step, not NaN (sfo.py l.1082-1083 divides
//     by the zero length when it lengthens a step to minimum_step_length), and
//     the step-length cap waits until x has moved (sfo.py's would divide by a
//     zero average length and stop x for good);
//   - an evaluation whose value or gradient is NaN or infinite rejects the
//     step and never enters the history, the models or x (sfo.py keeps such a
//     point when its value is finite and lower, and stores a non-finite value
//     found at the previous point);
//   - replace_subfunction() clears both histories (l.311 forgets one);
//   - the rank-1 update skips a pair with s'(y - Bs) = 0 instead of dividing
//     by zero (l.640);
//   - nothing is printed.
// Where sfo.py's choices hang on exactly how numpy computes, ours do the same:
// equal 'distance' values are ordered as numpy.argsort orders them
// (introsort_order.hpp); a history with fewer independent steps than pairs
// gives the curvature estimate the zero that LAPACK returns exactly; and the
// subspace's coordinates not yet in use, which sfo.py's arrays carry,
// count among H_j's eigenvalues when they are made positive.
// Random choices (the initial active set, a fresh subfunction to evaluate, the
// coin of 'distance both', the subfunction activated, the random first basis
// vector when x0 = 0, the padding of a collapse) come from one Rng seeded at
// construction, so the same seed gives the same run bit for bit.
//
// Cost: memory 8 M K_max bytes for P, 8 K_max (4L + 2) + 2L bytes per
// subfunction, about 4 K_max^2 doubles and a few buffers of length M
// (memory_bytes(); max_memory_bytes bounds it). Time
// per step: the subfunction, O(M K) for the subspace, O(N K L + K^3) for the
// models and the Cholesky factorization of H, and a collapse (O(M K^2)) about
// every N steps; P, the largest array, is read two or three times a step
// (sfo_subspace_growth.cpp). No allocation in step() after the first
// (Eigen's products go to OpenBLAS, whose buffers are made once).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "descent/core/bytes.hpp"
#include "descent/optim/sfo_state.hpp"
#include "descent/optim/sum_of_functions.hpp"

namespace descent {

// How the next subfunction is chosen once every active one has been evaluated
// twice (sfo.py l.811-883).
enum class SfoSelection {
  distance_both,    // a fair coin between the next two (the reference's default)
  distance,         // farthest from its last evaluation in the metric of H = sum_i H_i
  single_distance,  // farthest in the metric of its own H_i
  random,           // uniformly among the active ones
  cyclic,           // the active ones in index order, round and round
};
// "distance-both", "distance", "single-distance", "random", "cyclic";
// ConfigError naming `selection` otherwise.
SfoSelection sfo_selection(const std::string& name);
std::string to_string(SfoSelection selection);

enum class SfoHessianUpdate { bfgs, rank1 };
// "bfgs" or "rank1"; ConfigError naming `hessian-update` otherwise.
SfoHessianUpdate sfo_hessian_update(const std::string& name);
std::string to_string(SfoHessianUpdate update);

// The reference's hyperparameters (sfo.py l.30-34) and their defaults; each
// field's validate() message names it as its command-line flag.
struct SfoConfig {
  // L (max_history_terms): (s, y) pairs kept per subfunction; 1..kSfoMaxHistory.
  std::size_t history = 10;
  // hessian_init: the curvature the initial active subfunctions start with;
  // large makes the first steps short (-grad / (N_active hessian_init)); > 0.
  double hessian_init = 1e5;
  // init_subf: subfunctions active at the start, chosen at random; >= 1
  // (at most N are: the reference takes the first init_subf of a permutation).
  std::size_t initial_active = 2;
  // hess_max_dev: the largest ratio of the largest to the smallest eigenvalue
  // kept in each H_i; > 1.
  double max_hessian_deviation = 1e8;
  SfoHessianUpdate hessian_update = SfoHessianUpdate::bfgs;
  SfoSelection selection = SfoSelection::distance_both;
  // The active set grows when the standard error of the mean gradient,
  // measured in H^-1, reaches this fraction of the mean gradient; > 0.
  double max_gradient_noise = 1;
  // After the first N evaluations a step is at most this many times the
  // average step length so far; > 0.
  double max_step_length_ratio = 10;
  // Shorter steps are lengthened to this (0 turns it off); >= 0.
  double minimum_step_length = 1e-8;
  // Every pick the reference makes by a random permutation (the initial
  // active set, a fresh subfunction, the one activated, the 'random' rule)
  // takes the lowest index instead: with initial_active = N and 'distance'
  // this is the reference's deterministic configuration, whose trajectory
  // does not depend on the seed when x0 != 0 (see reference_deterministic()).
  bool deterministic = false;
  // memory_bytes() may be at most this; a larger problem is refused with a
  // ConfigError naming M, N and L. Default 4 GiB; > 0.
  std::size_t max_memory_bytes = std::size_t{4} << 30;

  // The fields on their own.
  void validate() const;
  // validate(), and the memory bound for M parameters and N subfunctions.
  void validate_for(std::size_t dim, std::size_t subfunctions) const;

  // The configuration of the reference's deterministic runs: all N active,
  // 'distance' selection, lowest index for every random pick.
  static SfoConfig reference_deterministic(std::size_t subfunctions);
};

// What one step did.
struct SfoStepReport {
  std::size_t subfunction = 0;  // j, evaluated at the proposal
  double value = 0;             // f_j at the point the step kept (the previous one when rejected)
  bool rejected = false;        // the proposal was rejected (sfo.py's step_failure)
  std::size_t evaluations = 0;  // this step's: 1, or 2 to 12 when rejected
  bool collapsed = false;       // the subspace was collapsed during the step
};

// How the data of a training set or a test problem is split into the
// subfunctions SFO sums: N fixed minibatches.
struct SfoPartition {
  // N; 0 takes the authors' guidance through count_for(): N ~ sqrt(n) / 10
  // (the reference's README), and not fewer than 25, below which "performance
  // suffered" (sfo.py l.205-209).
  std::size_t subfunctions = 0;

  // N for n samples: `subfunctions` if set, else max(25, round(sqrt(n) / 10));
  // never more than n. ConfigError naming `subfunctions` if it exceeds n.
  std::size_t count_for(std::size_t samples) const;
};

class Sfo {
 public:
  // x0: the starting point (length M, finite); `subfunctions`: N >= 1.
  // ConfigError for an invalid config, a non-finite x0 or a problem larger
  // than config.max_memory_bytes.
  Sfo(std::span<const double> x0, std::size_t subfunctions, SfoConfig config = {},
      std::uint64_t seed = 0);
  ~Sfo();
  Sfo(Sfo&&) noexcept;
  Sfo& operator=(Sfo&&) noexcept;

  std::string name() const { return "sfo"; }
  const SfoConfig& config() const { return config_; }

  // One step: evaluates one subfunction (more when the step is rejected) and
  // moves x to the minimizer of the models. ShapeError if the problem's M or
  // N differ from this optimizer's.
  SfoStepReport step(SumOfFunctions& problem);

  // The current point: the last proposal, as sfo.py's optimize() returns it.
  std::span<const double> x() const;
  std::size_t dim() const { return state_.dim; }
  std::size_t subfunctions() const { return state_.count; }
  std::uint64_t steps() const { return state_.steps; }
  std::uint64_t evaluations() const { return state_.total_evals; }
  // evaluations / N: passes through the data, rejected steps' extra
  // evaluations included.
  double passes() const;
  std::uint64_t rejections() const { return state_.rejections; }
  std::size_t active_subfunctions() const;
  double step_scale() const { return state_.step_scale; }

  // Bytes this optimizer holds (its buffers' sizes), and what a problem of
  // `dim` parameters and `subfunctions` subfunctions would hold.
  std::size_t memory_bytes() const;
  static std::size_t memory_bytes(std::size_t dim, std::size_t subfunctions,
                                  const SfoConfig& config);

  // Forgets subfunction i's history (a new minibatch replaces the old): its
  // (s, y) pairs are cleared and its next evaluation counts as its first.
  void replace_subfunction(std::size_t i);

  // Collapses the subspace to K_min dimensions now, as step() does when it is
  // full (sfo.py's collapse_subspace with no new gradient: a random direction
  // takes its place).
  void collapse_subspace();

  // Read-only views of the state, for tests and diagnostics.
  const SfoState& state() const { return state_; }
  // H_i in the subspace's coordinates (k x k, k = the subspace's dimension).
  Eigen::MatrixXd subfunction_hessian(std::size_t i) const;
  // G(x) and grad G(x) at the current x, the gradient in R^M.
  double model_value() const;
  Eigen::VectorXd model_gradient() const;

  // The whole state (sizes, x, subspace, models, counters, the generator);
  // load() needs an Sfo of the same M, N and config and continues bit for bit.
  void save(ByteWriter& out) const;
  void load(ByteReader& in);

 private:
  // sfo.cpp
  double evaluate(SumOfFunctions& problem, std::size_t j, std::span<const double> at,
                  Eigen::Ref<Eigen::VectorXd> grad_proj);
  // sfo_selection.cpp
  std::size_t choose_subfunction();
  std::size_t farthest_in_total_metric();
  std::size_t farthest_in_own_metric();
  std::size_t pick(std::span<const std::size_t> candidates);
  // sfo_subspace_growth.cpp
  void add_gradient(std::span<const double> gradient, Eigen::Ref<Eigen::VectorXd> coords);
  void append_column(const Eigen::VectorXd& column, std::span<const double> gradient,
                     Eigen::Ref<Eigen::VectorXd> coords);
  void defer_column(const Eigen::VectorXd& base, const Eigen::Ref<const Eigen::VectorXd>& coeffs);
  void materialize_pending();
  void move_x(const Eigen::Ref<const Eigen::VectorXd>& d);
  void project(const Eigen::VectorXd& v, Eigen::Ref<Eigen::VectorXd> coords);
  void lift(const Eigen::Ref<const Eigen::VectorXd>& coords, Eigen::VectorXd& v);
  // sfo_subspace.cpp
  void collapse(const Eigen::Ref<const Eigen::VectorXd>& new_direction);
  void reorthogonalize();
  void change_basis(std::size_t old_dim, std::size_t new_dim);
  void recompute_hessian_sum();
  // sfo_rejection.cpp
  bool handle_rejection(SumOfFunctions& problem, std::size_t j, double& f);
  double predicted_value(std::size_t j, const Eigen::Ref<const Eigen::VectorXd>& at) const;
  bool three_sigma_above_others(double f) const;
  // sfo_models.cpp
  void push_history(std::size_t j, const Eigen::Ref<const Eigen::VectorXd>& at, double f,
                    const Eigen::Ref<const Eigen::VectorXd>& grad_proj);
  void update_hessian(std::size_t j);
  double median_total_eigenvalue();
  void hessian_from_history(std::size_t j, std::size_t pairs);
  void make_positive_definite(std::size_t j, Eigen::Index span, Eigen::Index unused);
  // sfo_newton.cpp
  void newton_step();
  void model_gradient_in_subspace();
  bool factorize_total_hessian();
  void grow_active_set(bool rejected);
  double diagonal_sum() const;

  SfoConfig config_;
  SfoState state_;
  std::unique_ptr<SfoWorkspace> work_;
};

}  // namespace descent

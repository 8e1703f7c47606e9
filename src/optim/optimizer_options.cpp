// Each hyperparameter of the registry's methods, declared once: its name (the
// flag and the JSON key), range, help, and the config members it fills. Its
// type is the members', its default each struct's own (registry.cpp gives cg
// its c2 of 0.1). An option of a new method is one more member here; a new
// option, one more declaration.
#include "descent/optim/optimizer_options.hpp"

#include "descent/optim/adadelta.hpp"
#include "descent/optim/adagrad.hpp"
#include "descent/optim/adam.hpp"
#include "descent/optim/adamax.hpp"
#include "descent/optim/adamw.hpp"
#include "descent/optim/amsgrad.hpp"
#include "descent/optim/conjugate_gradient.hpp"
#include "descent/optim/lbfgs.hpp"
#include "descent/optim/line_search.hpp"
#include "descent/optim/lion.hpp"
#include "descent/optim/momentum.hpp"
#include "descent/optim/nadam.hpp"
#include "descent/optim/nesterov.hpp"
#include "descent/optim/online_lbfgs.hpp"
#include "descent/optim/radam.hpp"
#include "descent/optim/rmsprop.hpp"
#include "descent/optim/sfo.hpp"
#include "descent/optim/sgd.hpp"

namespace descent {

const OptionTable& optimizer_option_table() {
  using Convention = MomentumConvention;
  static const OptionTable table = {
      {"momentum", unit_interval(), "Momentum mu", &MomentumConfig::momentum,
       &NesterovConfig::momentum, &RmspropConfig::momentum},
      {"momentum-convention", Choices<Convention>{{Convention::notes, Convention::torch}},
       "notes: v = mu v - lr dw, w += v; torch: buf = mu buf + (1 - dampening) dw, w -= lr buf",
       &MomentumConfig::convention, &NesterovConfig::convention},
      {"dampening", unit_interval(), "Dampening of the torch momentum convention",
       &MomentumConfig::dampening, &NesterovConfig::dampening},
      {"decay-rate", unit_interval(), "Decay of the cache of squared gradients",
       &RmspropConfig::decay_rate},
      {"centered", {}, "Divide by the centered variance", &RmspropConfig::centered},
      {"beta1", unit_interval(), "First-moment decay", &AdamConfig::beta1, &AdamWConfig::beta1,
       &AmsgradConfig::beta1, &AdamaxConfig::beta1, &NAdamConfig::beta1, &RAdamConfig::beta1,
       &LionConfig::beta1},
      {"beta2", unit_interval(), "Second-moment decay", &AdamConfig::beta2, &AdamWConfig::beta2,
       &AmsgradConfig::beta2, &AdamaxConfig::beta2, &NAdamConfig::beta2, &RAdamConfig::beta2,
       &LionConfig::beta2},
      {"eps", positive(),
       "Term added to the denominator; olbfgs: scale of the first step, -eps lr g",
       &AdagradConfig::eps, &RmspropConfig::eps, &AdadeltaConfig::eps, &AdamConfig::eps,
       &AdamWConfig::eps, &AmsgradConfig::eps, &AdamaxConfig::eps, &NAdamConfig::eps,
       &RAdamConfig::eps, &OnlineLbfgsConfig::eps},
      {"weight-decay", non_negative(), "L2 added to the gradient; decoupled for adamw and lion",
       &SgdConfig::weight_decay, &MomentumConfig::weight_decay, &NesterovConfig::weight_decay,
       &AdagradConfig::weight_decay, &RmspropConfig::weight_decay, &AdadeltaConfig::weight_decay,
       &AdamConfig::weight_decay, &AdamWConfig::weight_decay, &AmsgradConfig::weight_decay,
       &AdamaxConfig::weight_decay, &NAdamConfig::weight_decay, &RAdamConfig::weight_decay,
       &LionConfig::weight_decay},
      {"rho", unit_interval(), "Decay of both running means", &AdadeltaConfig::rho},
      {"momentum-decay", non_negative(), "psi of the momentum schedule",
       &NAdamConfig::momentum_decay},
      {"history", at_least(1).named("m"), "Pairs (s, y) kept (sfo: per subfunction, at most 32)",
       &LbfgsConfig::history, &OnlineLbfgsConfig::history, &SfoConfig::history},
      {"lambda", non_negative(), "Damping, y = g' - g + lambda s", &OnlineLbfgsConfig::lambda},
      {"tau", positive(), "Gain schedule lr_t = tau / (tau + t) lr", &OnlineLbfgsConfig::tau},
      {"step-divisor", positive(), "c in s = (lr_t / c) p", &OnlineLbfgsConfig::step_divisor},
      {"restart-every", non_negative(), "Iterations between restarts (0: the dimension)",
       &ConjugateGradientConfig::restart_every},
      {"line-search",
       Choices<LineSearchKind>{{LineSearchKind::strong_wolfe, LineSearchKind::backtracking}},
       "strong-wolfe (N&W Algorithms 3.5-3.6) or backtracking (Armijo)", &LineSearchConfig::kind},
      {"c1", between(0, true, 0.5, true).named("c1"), "Sufficient-decrease constant",
       &LineSearchConfig::c1},
      {"c2", between(0, true, 1, true).named("c2"),
       "Curvature constant of the strong Wolfe conditions, c1 < c2", &LineSearchConfig::c2},
      {"shrink", between(0, true, 1, true).named("shrink"), "Backtracking's step factor",
       &LineSearchConfig::shrink},
      {"max-line-evaluations", at_least(1), "Evaluations one line search may make",
       &LineSearchConfig::max_evaluations},
      {"max-step", positive(), "Longest step the bracketing phase tries",
       &LineSearchConfig::max_step},
      {"subfunctions", non_negative(),
       "N, the fixed minibatches SFO sums (0: the authors' guidance, max(25, sqrt(n) / 10))",
       &SfoPartition::subfunctions},
      {"hessian-init", positive(), "Curvature the first active subfunctions start with",
       &SfoConfig::hessian_init},
      {"initial-active", at_least(1), "Subfunctions active at the start",
       &SfoConfig::initial_active},
      {"max-hessian-deviation", between(1, true, 1e300, false),
       "Largest ratio of a subfunction Hessian's eigenvalues", &SfoConfig::max_hessian_deviation},
      {"hessian-update", Choices<SfoHessianUpdate>{{SfoHessianUpdate::bfgs, SfoHessianUpdate::rank1}},
       "How each subfunction's Hessian is estimated from its history", &SfoConfig::hessian_update},
      {"selection",
       Choices<SfoSelection>{{SfoSelection::distance_both, SfoSelection::distance,
                              SfoSelection::single_distance, SfoSelection::random,
                              SfoSelection::cyclic}},
       "Which subfunction SFO evaluates next", &SfoConfig::selection},
      {"max-gradient-noise", positive(),
       "The active set grows when the mean gradient's standard error reaches this fraction of it",
       &SfoConfig::max_gradient_noise},
      {"max-step-ratio", positive(), "Longest step as a multiple of the average step so far",
       &SfoConfig::max_step_length_ratio},
      {"min-step", non_negative(), "Shorter steps are lengthened to this (0: off)",
       &SfoConfig::minimum_step_length},
      {"deterministic", {}, "The reference's deterministic picks: the lowest index, never random",
       &SfoConfig::deterministic},
      {"max-memory", at_least(1), "Bytes SFO may hold; a larger problem is refused",
       &SfoConfig::max_memory_bytes},
  };
  return table;
}

}  // namespace descent

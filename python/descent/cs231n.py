"""Update rules for the CS231n assignments, computed by descent.

Each rule has the signature of the functions in the assignment's
``cs231n/optim.py`` (assignment 2)::

    next_w, config = rule(w, dw, config=None)

and can replace them one for one: a ``Solver`` whose ``optim`` module's
functions are swapped for these runs the same. As in the assignment:

- the hyperparameters are read from ``config``; missing ones are set there to
  their defaults (``config.setdefault``);
- ``config['learning_rate']`` is read again at every call, so the Solver's
  ``config['learning_rate'] *= lr_decay`` takes effect;
- the state (velocity, moments, step count) is kept in ``config`` as NumPy
  arrays of w's shape and dtype, and plain numbers, so that ``config`` pickles;
- the returned ``config`` is the dict that was passed in (a new one when
  ``config`` is None);
- ``sgd`` updates ``w`` in place and returns it; every other rule leaves ``w``
  as it is and returns a new array.

w must be a float32 or float64 NumPy array, and dw an array of the same shape
and dtype, C-contiguous, without NaN or Inf. ``sgd`` writes into w, which must
then be C-contiguous and writable too. A key of ``config`` that is neither a
hyperparameter nor a state of the rule is a ValueError naming it.

The assignment's rules, with its keys and defaults:

================  ==========================================  ===============
rule              hyperparameters (defaults)                  state
================  ==========================================  ===============
``sgd``           learning_rate (1e-2)                        (none)
``sgd_momentum``  learning_rate (1e-2), momentum (0.9)        velocity
``rmsprop``       learning_rate (1e-2), decay_rate (0.99),    cache
                  epsilon (1e-8)
``adam``          learning_rate (1e-3), beta1 (0.9),          m, v, t
                  beta2 (0.999), epsilon (1e-8)
================  ==========================================  ===============

These four also take descent's weight_decay (L2 added to dw, default 0), and
``rmsprop`` takes descent's centered (False) and momentum (0), which add the
states grad_avg and momentum_buffer; none of these is set in ``config`` unless
given.

descent's other first-order methods, in the same style: the hyperparameters are
descent's options with their defaults (``_core.method_options``, eps under the
key epsilon), the learning rate's default is ``_core.default_learning_rate``,
the state is kept under descent's names, and the number of steps taken under t:

================  =========================================================  ===================
rule              hyperparameters                                            state
================  =========================================================  ===================
``nesterov``      learning_rate, momentum, momentum_convention, dampening,   velocity, t
                  weight_decay
``adagrad``       learning_rate, epsilon, weight_decay                       cache, t
``adamw``         learning_rate, beta1, beta2, epsilon, weight_decay         m, v, t
``amsgrad``       learning_rate, beta1, beta2, epsilon, weight_decay         m, v, v_max, t
``adamax``        learning_rate, beta1, beta2, epsilon, weight_decay         m, u, t
``nadam``         learning_rate, beta1, beta2, epsilon, weight_decay,        m, v, mu_product, t
                  momentum_decay
``radam``         learning_rate, beta1, beta2, epsilon, weight_decay         m, v, t
``adadelta``      learning_rate, rho, epsilon, weight_decay                  mean_g2, mean_dx2, t
``lion``          learning_rate, beta1, beta2, weight_decay                  m, t
================  =========================================================  ===================

The formulas are descent's; see the headers in include/descent/optim/.
"""

from __future__ import annotations

import functools
import math
import operator
from dataclasses import dataclass
from typing import Any, Mapping, Optional

import numpy as np

from descent import _core

__all__ = [
    "sgd",
    "sgd_momentum",
    "rmsprop",
    "adam",
    "nesterov",
    "adagrad",
    "adamw",
    "amsgrad",
    "adamax",
    "nadam",
    "radam",
    "adadelta",
    "lion",
]

# Config keys that differ from descent's option names: config key -> option.
_OPTION_OF_KEY = {"epsilon": "eps"}
_KEY_OF_OPTION = {option: key for key, option in _OPTION_OF_KEY.items()}

# Keys that are settings of the call rather than options of the optimizer.
_LEARNING_RATE = "learning_rate"
_STEPS = "t"


@dataclass(frozen=True)
class _Rule:
    """An update rule: which descent method computes it, and its config keys."""

    name: str  # the function's name, for messages
    method: str  # descent's name for it
    assignment_defaults: Optional[Mapping[str, Any]] = None  # None: descent's own
    extra_options: tuple = ()  # descent options also taken, when given
    in_place: bool = False  # updates w itself and returns it (the assignment's sgd)

    def defaults(self) -> Mapping[str, Any]:
        if self.assignment_defaults is not None:
            return self.assignment_defaults
        return _descent_defaults(self.method)

    @property
    def counts_steps(self) -> bool:
        """Whether config keeps the number of steps taken, under t."""
        return _STEPS in self.defaults()


@functools.lru_cache(maxsize=None)
def _descent_defaults(method: str) -> Mapping[str, Any]:
    """learning_rate, descent's options of `method` with their defaults, and t."""
    defaults = {_LEARNING_RATE: _core.default_learning_rate(method)}
    for option in _core.method_options(method):
        if option["default"] is not None:
            defaults[_config_key(option["name"])] = option["default"]
    defaults[_STEPS] = 0
    return defaults


def _config_key(option: str) -> str:
    option = option.replace("-", "_")
    return _KEY_OF_OPTION.get(option, option)


def _option_name(key: str) -> str:
    return _OPTION_OF_KEY.get(key, key)


_SGD = _Rule("sgd", "sgd", {_LEARNING_RATE: 1e-2}, ("weight_decay",), in_place=True)
_SGD_MOMENTUM = _Rule(
    "sgd_momentum", "momentum", {_LEARNING_RATE: 1e-2, "momentum": 0.9}, ("weight_decay",)
)
_RMSPROP = _Rule(
    "rmsprop",
    "rmsprop",
    {_LEARNING_RATE: 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    ("centered", "momentum", "weight_decay"),
)
_ADAM = _Rule(
    "adam",
    "adam",
    {_LEARNING_RATE: 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, _STEPS: 0},
    ("weight_decay",),
)
# descent's other first-order methods, under their own names.
_DESCENT_RULES = {
    name: _Rule(name, name)
    for name in (
        "nesterov", "adagrad", "adamw", "amsgrad", "adamax", "nadam", "radam", "adadelta", "lion"
    )
}


def _update(rule: _Rule, w, dw, config: Optional[dict]):
    """One step of `rule`: loads config's state into a descent optimizer, steps, stores it back."""
    if config is None:
        config = {}
    for key, value in rule.defaults().items():
        config.setdefault(key, value)
    dtype = _parameter_dtype(w)
    dw = _gradient(dw, w)
    optimizer = _optimizer(rule, config)
    optimizer.prepare(w.size, dtype)
    _check_keys(rule, config, optimizer)
    _load_state(rule, optimizer, config, w)
    next_w = w if rule.in_place else w.copy(order="C")
    optimizer.step(next_w, dw, _learning_rate(config))
    _store_state(rule, optimizer, config, w.shape)
    return next_w, config


def _parameter_dtype(w) -> np.dtype:
    if not isinstance(w, np.ndarray) or w.dtype not in (np.float32, np.float64):
        found = w.dtype if isinstance(w, np.ndarray) else type(w).__name__
        raise TypeError(f"w: expected a float32 or float64 numpy array, got {found}")
    return w.dtype


def _gradient(dw, w: np.ndarray) -> np.ndarray:
    if not isinstance(dw, np.ndarray):
        raise TypeError(f"dw: expected a numpy array, got {type(dw).__name__}")
    if dw.shape != w.shape:
        raise ValueError(f"dw: expected shape {w.shape} as w has, got {dw.shape}")
    return dw


def _optimizer(rule: _Rule, config: dict):
    """A descent optimizer with config's hyperparameters; a bad value names its config key."""
    keys = [key for key in rule.defaults() if key not in (_LEARNING_RATE, _STEPS)]
    keys += [key for key in rule.extra_options if key in config]
    options = {_option_name(key): config[key] for key in keys}
    try:
        return _core.Optimizer(rule.method, options)
    except ValueError as error:
        raise ValueError(_with_config_keys(str(error))) from error


def _with_config_keys(message: str) -> str:
    for option, key in _KEY_OF_OPTION.items():
        if message.startswith(option + ":"):
            return key + message[len(option) :]
    return message


def _check_keys(rule: _Rule, config: dict, optimizer) -> None:
    known = set(rule.defaults()) | set(rule.extra_options)
    known |= set(optimizer.state()) | set(optimizer.scalars)
    for key in config:
        if key not in known:
            raise ValueError(
                f"{key}: not a hyperparameter or state of {rule.name}; "
                f"it keeps {', '.join(sorted(known))}"
            )


def _learning_rate(config: dict) -> float:
    value = config[_LEARNING_RATE]
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"learning_rate: expected a number, got {value!r}") from None
    if not (math.isfinite(rate) and rate >= 0):
        raise ValueError(f"learning_rate: expected a finite number >= 0, got {value!r}")
    return rate


def _step_count(config: dict) -> int:
    value = config[_STEPS]
    try:
        steps = operator.index(value)
    except TypeError:
        raise TypeError(f"t: expected an integer step count, got {value!r}") from None
    if steps < 0:
        raise ValueError(f"t: expected a step count >= 0, got {steps}")
    return steps


def _load_state(rule: _Rule, optimizer, config: dict, w: np.ndarray) -> None:
    """Copies config's state into the optimizer's; what config lacks stays zero."""
    if rule.counts_steps:
        optimizer.steps = _step_count(config)
    for name in optimizer.scalars:
        if name in config:
            optimizer.set_scalar(name, float(config[name]))
    for name, view in optimizer.state().items():
        if name in config:
            view[...] = _state_values(config[name], name, w)


def _state_values(values, name: str, w: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    if values.size != w.size:
        raise ValueError(f"{name}: expected {w.size} values as w has, got shape {values.shape}")
    return values.reshape(-1)


def _store_state(rule: _Rule, optimizer, config: dict, shape: tuple) -> None:
    """Copies the optimizer's state into config, as arrays of w's shape."""
    if rule.counts_steps:
        config[_STEPS] = optimizer.steps
    for name, value in optimizer.scalars.items():
        config[name] = value
    for name, view in optimizer.state().items():
        config[name] = view.reshape(shape).copy()


def sgd(w, dw, config=None):
    """Vanilla SGD, in place on w: w -= learning_rate * dw."""
    return _update(_SGD, w, dw, config)


def sgd_momentum(w, dw, config=None):
    """SGD with momentum: v = momentum * v - learning_rate * dw; next_w = w + v."""
    return _update(_SGD_MOMENTUM, w, dw, config)


def rmsprop(w, dw, config=None):
    """RMSProp: cache = decay_rate * cache + (1 - decay_rate) * dw**2;
    next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)."""
    return _update(_RMSPROP, w, dw, config)


def adam(w, dw, config=None):
    """Adam with bias correction, t counted from 1:
    m = beta1 * m + (1 - beta1) * dw; v = beta2 * v + (1 - beta2) * dw**2;
    next_w = w - learning_rate * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + epsilon)."""
    return _update(_ADAM, w, dw, config)


def nesterov(w, dw, config=None):
    """Nesterov momentum: v_prev = v; v = momentum * v - learning_rate * dw;
    next_w = w - momentum * v_prev + (1 + momentum) * v."""
    return _update(_DESCENT_RULES["nesterov"], w, dw, config)


def adagrad(w, dw, config=None):
    """Adagrad: cache += dw**2; next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)."""
    return _update(_DESCENT_RULES["adagrad"], w, dw, config)


def adamw(w, dw, config=None):
    """AdamW: w shrinks by learning_rate * weight_decay * w, then Adam's step."""
    return _update(_DESCENT_RULES["adamw"], w, dw, config)


def amsgrad(w, dw, config=None):
    """AMSGrad: Adam with v_max = max(v_max, v) in place of v in the denominator."""
    return _update(_DESCENT_RULES["amsgrad"], w, dw, config)


def adamax(w, dw, config=None):
    """AdaMax: m = beta1 * m + (1 - beta1) * dw; u = max(beta2 * u, |dw| + epsilon);
    next_w = w - learning_rate / (1 - beta1**t) * m / u."""
    return _update(_DESCENT_RULES["adamax"], w, dw, config)


def nadam(w, dw, config=None):
    """NAdam: Adam with Nesterov momentum and torch's momentum schedule."""
    return _update(_DESCENT_RULES["nadam"], w, dw, config)


def radam(w, dw, config=None):
    """RAdam: Adam rectified by the variance of its adaptive learning rate."""
    return _update(_DESCENT_RULES["radam"], w, dw, config)


def adadelta(w, dw, config=None):
    """AdaDelta: dx = sqrt(mean_dx2 + epsilon) / sqrt(mean_g2 + epsilon) * dw;
    next_w = w - learning_rate * dx."""
    return _update(_DESCENT_RULES["adadelta"], w, dw, config)


def lion(w, dw, config=None):
    """Lion: next_w = w - learning_rate * (sign(beta1 * m + (1 - beta1) * dw) + weight_decay * w);
    m = beta2 * m + (1 - beta2) * dw."""
    return _update(_DESCENT_RULES["lion"], w, dw, config)

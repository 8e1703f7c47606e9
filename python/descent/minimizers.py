"""Minimizers: L-BFGS and CG on a Python function, and descent's methods on its
built-in test functions.

``minimize_function(f, x0, method="lbfgs", **options)`` minimizes
``f(x) -> (value, gradient)`` with the line searches ``descent minimize`` uses;
``minimize("rosenbrock", "adam", steps=1000, lr=1e-2)`` runs any method of the
registry on a test function and returns its trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Union

import numpy as np

from descent import _core

__all__ = ["MinimizeResult", "Trace", "minimize", "minimize_function", "test_function_names"]

_STOPPING = ("max_iterations", "max_evaluations", "gradient_tolerance", "f_tolerance")


@dataclass
class MinimizeResult:
    """Where a line-search run stopped, and why."""

    x: np.ndarray         # the last (lowest) point
    f: float              # f(x)
    gradient_norm: float  # ||grad f(x)||_2
    iterations: int
    evaluations: int      # of f and its gradient, the start's included
    reason: str           # "gradient", "f-decrease", "max-iterations", ...
    message: str
    converged: bool
    values: np.ndarray    # f after each iteration, the start's first


@dataclass
class Trace:
    """The points a method visited on a test function, the start first."""

    points: np.ndarray  # (steps + 1, dim)
    values: np.ndarray  # f at each point
    minimum: float      # the function's minimum value
    diverged: bool

    def __array__(self, dtype=None):
        return self.points if dtype is None else self.points.astype(dtype)


def test_function_names():
    """The built-in test functions."""
    return list(_core.test_function_names())


def minimize_function(f: Callable[[np.ndarray], tuple], x0, method: str = "lbfgs",
                      **options) -> MinimizeResult:
    """Minimizes f from x0 (float64; x0 itself is not changed) with L-BFGS or CG.

    options are the method's (history, line_search, ...) and the stopping rules
    max_iterations (1000), max_evaluations (10000), gradient_tolerance (1e-5)
    and f_tolerance (0).
    """
    stopping = {key: options.pop(key) for key in _STOPPING if key in options}
    start = np.asarray(x0)
    if start.dtype != np.float64:
        raise TypeError(f"x0: expected float64 values, got {start.dtype}")
    result = _core.minimize_function(f, np.ascontiguousarray(start).reshape(-1), method,
                                     options, stopping)
    result["x"] = result["x"].reshape(start.shape)
    return MinimizeResult(**result)


def minimize(function: str, optimizer: str = "adam", steps: int = 100,
             lr: Union[float, Callable[[int], float], None] = None, dim: int = 0,
             **options) -> Trace:
    """Runs optimizer from the test function's usual start for steps updates.

    lr is a number or a callable of the step (a Schedule); it defaults to the
    registry's rate. Line-search methods (lbfgs, cg) choose their own steps and
    make at most steps iterations.
    """
    if lr is None:
        lr = _core.default_learning_rate(optimizer)
    rate = lr if callable(lr) else (lambda t, value=float(lr): value)
    result = _core.minimize_test_function(function, optimizer, int(steps), rate, options, dim)
    return Trace(**result)

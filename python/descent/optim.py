"""descent's first-order optimizers on NumPy arrays, updated in place.

Each optimizer of descent's registry is a class here (``Adam``, ``AdamW``,
``Nesterov``, ...), and ``Optimizer(name, ...)`` makes any of them by name::

    from descent.optim import Adam
    opt = Adam(lr=1e-3, beta2=0.99)
    for _ in range(steps):
        opt.step(w, grad(w))          # w changes in place

The keyword options are those of ``descent train``'s flags, with underscores
(``weight_decay`` for ``--weight-decay``), taken from the same table, and the
learning rate defaults to the registry's. ``w`` must be a C-contiguous,
writable float32 or float64 array and ``dw`` an array of the same shape and
dtype: anything else is a TypeError or ValueError naming the argument, never
an update of a copy. The first step fixes the dtype. ``state`` holds views of
the C++ buffers, shaped as ``w``: writing into them changes the optimizer.
"""

from __future__ import annotations

import math
from typing import Mapping, Optional

import numpy as np

from descent import _core

__all__ = ["Optimizer", "optimizer_names"]


def optimizer_names():
    """The first-order methods, in descent's order."""
    return list(_core.optimizer_names())


class Optimizer:
    """A first-order optimizer of descent's registry, by name."""

    name: str = ""

    def __init__(self, name: Optional[str] = None, lr: Optional[float] = None, **options):
        name = name or type(self).name
        self._core = _core.Optimizer(name, options)
        self.name = self._core.name
        self.options = dict(options)
        self.lr = _core.default_learning_rate(self.name) if lr is None else _checked_lr(lr)
        self._shape = None

    @classmethod
    def option_table(cls, name: Optional[str] = None):
        """The options of the method: dicts of name, type, default, help and choices."""
        return _core.method_options(name or cls.name)

    def step(self, w: np.ndarray, dw: np.ndarray, lr: Optional[float] = None,
             check_finite: bool = True) -> np.ndarray:
        """One update of w in place with the gradient dw; returns w.

        lr overrides the optimizer's lr for this step (a schedule's value).
        With check_finite, a gradient holding NaN or Inf is a ValueError and
        nothing is updated.
        """
        rate = self.lr if lr is None else _checked_lr(lr)
        if not isinstance(w, np.ndarray):
            raise TypeError(f"w: expected a NumPy array, got {type(w).__name__}")
        if not isinstance(dw, np.ndarray):
            raise TypeError(f"dw: expected a NumPy array, got {type(dw).__name__}")
        if self._core.dtype is not None and self._shape is not None and w.shape != self._shape:
            raise ValueError(f"w: this optimizer's state is for shape {self._shape}, "
                             f"got {w.shape}")
        self._core.step(w, dw, rate, check_finite)
        self._shape = w.shape
        return w

    @property
    def steps(self) -> int:
        """Updates made so far (t of the formulas after the last step)."""
        return self._core.steps

    @steps.setter
    def steps(self, t: int) -> None:
        self._core.steps = t

    @property
    def state(self) -> dict:
        """The state buffers by name, as views shaped as w (empty before the first step)."""
        views = self._core.state()
        if self._shape is None:
            return views
        return {name: view.reshape(self._shape) for name, view in views.items()}

    @property
    def scalars(self) -> dict:
        """Numbers the state holds besides its buffers (NAdam's mu_product)."""
        return dict(self._core.scalars)

    def prepare(self, shape, dtype) -> None:
        """Allocates the state for arrays of this shape and dtype before any step."""
        shape = tuple(shape) if np.ndim(shape) else (int(shape),)
        self._core.prepare(int(np.prod(shape)), np.dtype(dtype))
        self._shape = shape

    def load_state(self, state: Mapping[str, np.ndarray], steps: Optional[int] = None,
                   scalars: Optional[Mapping[str, float]] = None) -> None:
        """Copies saved buffers (and the step count and scalars) into the state.

        The state must be allocated (a step or prepare()); a buffer of another
        name or size is a ValueError.
        """
        views = self.state
        for name, values in state.items():
            if name not in views:
                raise ValueError(f"state '{name}': {self.name} keeps "
                                 f"{sorted(views) or 'no buffers (yet: step or prepare first)'}")
            values = np.asarray(values)
            if values.size != views[name].size:
                raise ValueError(f"state '{name}': expected {views[name].size} values, "
                                 f"got {values.size}")
            views[name][...] = values.reshape(views[name].shape)
        if steps is not None:
            self.steps = steps
        for name, value in (scalars or {}).items():
            self._core.set_scalar(name, float(value))

    def __getstate__(self):
        return {"core": self._core, "lr": self.lr, "options": self.options, "shape": self._shape}

    def __setstate__(self, saved):
        self._core = saved["core"]
        self.name = self._core.name
        self.lr = saved["lr"]
        self.options = saved["options"]
        self._shape = saved["shape"]

    def __repr__(self) -> str:
        options = "".join(f", {key}={value!r}" for key, value in self.options.items())
        return f"{type(self).__name__}(lr={self.lr!r}{options})"


def _checked_lr(lr) -> float:
    value = float(lr)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"lr: expected a finite learning rate >= 0, got {lr!r}")
    return value


# The class of each registry name; every name the registry lists has one
# (tests/test_optim.py checks it).
_CLASS_NAMES = {
    "sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
    "rmsprop": "RMSProp", "adam": "Adam", "adamw": "AdamW", "amsgrad": "AMSGrad",
    "adamax": "Adamax", "nadam": "NAdam", "radam": "RAdam", "adadelta": "AdaDelta",
    "lion": "Lion",
}


def _method_class(method: str, class_name: str):
    def __init__(self, lr: Optional[float] = None, **options):
        Optimizer.__init__(self, method, lr, **options)

    options = ", ".join(option["name"] for option in _core.method_options(method))
    doc = (f"descent's {method} on a NumPy array in place (the formula: "
           f"include/descent/optim/{method}.hpp). Options: {options or 'none'}; "
           f"lr defaults to {_core.default_learning_rate(method)}.")
    return type(class_name, (Optimizer,), {"name": method, "__init__": __init__,
                                           "__doc__": doc, "__module__": __name__})


for _method in _core.optimizer_names():
    _class_name = _CLASS_NAMES.get(_method, _method.capitalize())
    globals()[_class_name] = _method_class(_method, _class_name)
    __all__.append(_class_name)

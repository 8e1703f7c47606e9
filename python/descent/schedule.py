"""descent's learning-rate schedules as callables of the update t (from 0).

``Schedule(kind, lr, **options)`` is the schedule of ``descent train
--schedule kind --lr lr`` with the same options (underscores for dashes)::

    lr_of = Schedule("cosine", 0.1, period=1000, warmup=100)
    opt.step(w, dw, lr=lr_of(t))

The formulas are in include/descent/optim/schedule.hpp; each is checked
against torch.optim.lr_scheduler.
"""

from __future__ import annotations

from descent import _core

__all__ = ["Schedule", "schedule_names", "schedule_options"]


def schedule_names():
    """The kinds of schedule, in descent's order."""
    return list(_core.schedule_names())


def schedule_options():
    """The schedules' options: dicts of name, type, default, help and choices."""
    return _core.schedule_options()


class Schedule:
    """lr(t) of a schedule of descent's table; plateau is fed by observe()."""

    def __init__(self, kind: str, lr: float, **options):
        self.kind = kind
        self.options = dict(options)
        self._core = _core.Schedule(kind, float(lr), options)

    def __call__(self, t: int) -> float:
        return self._core.lr(int(t))

    def lr(self, t: int) -> float:
        """The learning rate of update t, counted from 0."""
        return self._core.lr(int(t))

    def observe(self, metric: float) -> None:
        """One epoch's validation metric (plateau only; the others ignore it)."""
        self._core.observe(float(metric))

    @property
    def base_lr(self) -> float:
        return self._core.base_lr

    def __repr__(self) -> str:
        return repr(self._core)

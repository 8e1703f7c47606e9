"""descent from Python: its optimizers, schedules and minimizers over the C++ library.

- ``descent.optim``: every first-order optimizer of descent's registry as a
  class updating a float32 or float64 NumPy array in place (``descent.optim.Adam``),
  its state readable and writable as arrays.
- ``descent.schedule``: the learning-rate schedules as callables of the step.
- ``descent.minimize``: L-BFGS and CG on a Python function, and any method on
  descent's built-in test functions with its trace.
- ``descent.cs231n``: drop-in update rules for the CS231n assignments' ``optim.py``.
- ``descent.torch``: ``torch.optim`` optimizers over descent's kernels (imports torch;
  the rest of the package does not).
"""

from descent import _core
from descent._core import num_threads, set_num_threads
from descent.minimizers import MinimizeResult, Trace, minimize, minimize_function
from descent.optim import Optimizer, optimizer_names
from descent.schedule import Schedule, schedule_names

__all__ = [
    "MinimizeResult",
    "Optimizer",
    "Schedule",
    "Trace",
    "minimize",
    "minimize_function",
    "num_threads",
    "optimizer_names",
    "schedule_names",
    "set_num_threads",
]
__version__ = "0.1.0"

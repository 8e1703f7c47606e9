"""torch.optim optimizers whose updates run in descent's C++ kernels.

SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam and RAdam take
torch.optim's constructor arguments and defaults and keep torch.optim's state
keys, so a state_dict saved by one loads into the other and training goes on
as before. Lion follows lion-pytorch (lr 1e-4, betas (0.9, 0.99), state
'exp_avg'); SGD also offers the cs231n notes' momentum convention
(convention="notes"), whose velocity carries the learning rate and is kept as
state 'velocity'.

Parameters are updated in place, in their own memory: they must be CPU
tensors of float32 or float64 laid out contiguously; anything else is a
TypeError or ValueError naming the parameter, never an update of a copy. The
state tensors are views of the kernels' buffers, shaped as their parameters.
group['lr'] is read at every step, so torch's LR schedulers drive these
optimizers. A gradient holding NaN or Inf is a ValueError before any parameter
of the step is updated.

descent's NAdam follows the paper and torch >= 2.0; torch 1.13's NAdam
multiplies mu_t into its look-ahead product twice (pytorch/pytorch#92699).
"""

import math

import numpy
import torch
from torch.optim.optimizer import Optimizer as _TorchOptimizer
from torch.optim.optimizer import required

from descent import _core

__all__ = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
           "Lion"]

_NUMPY_DTYPES = {torch.float32: numpy.float32, torch.float64: numpy.float64}

# torch.optim flags that change the update (maximize) or ask for an
# implementation descent does not have; each is refused when true.
_UNSUPPORTED_FLAGS = ("maximize", "foreach", "capturable", "differentiable", "fused")


def _check_parameter(param, where):
    """TypeError or ValueError unless param can be updated in its own memory."""
    if param.dtype not in _NUMPY_DTYPES:
        raise TypeError(f"{where}: dtype {param.dtype}; descent.torch updates torch.float32 "
                        "or torch.float64 tensors")
    if param.device.type != "cpu":
        raise ValueError(f"{where}: on device {param.device}; descent.torch updates CPU tensors")
    if param.layout != torch.strided or not param.is_contiguous():
        raise ValueError(f"{where}: not a contiguous tensor; descent.torch updates a parameter "
                         "in its own memory and would otherwise update a copy")


def _checked_gradient(param, where):
    """param's gradient as a contiguous tensor, checked for layout and finiteness."""
    grad = param.grad.detach()
    if grad.is_sparse:
        raise ValueError(f"{where}: sparse gradient; descent.torch takes dense gradients")
    if grad.device != param.device:
        raise ValueError(f"{where}: gradient on {grad.device}, parameter on {param.device}")
    if grad.dtype != param.dtype:
        raise TypeError(f"{where}: gradient of dtype {grad.dtype}, parameter of {param.dtype}")
    if grad.shape != param.shape:
        raise ValueError(f"{where}: gradient of shape {tuple(grad.shape)}, parameter of "
                         f"{tuple(param.shape)}")
    if not _all_finite(grad):
        raise ValueError(f"{where}: the gradient holds NaN or Inf; nothing was updated")
    return grad.contiguous()


def _all_finite(tensor):
    # A sum is finite only if every term is, and it is several times cheaper than
    # isfinite(); the exact test runs only when the sum is not (or overflows).
    return math.isfinite(tensor.sum().item()) or bool(torch.isfinite(tensor).all())


def _checked_learning_rate(value, where):
    lr = float(value)
    if not (lr >= 0 and math.isfinite(lr)):
        raise ValueError(f"lr: {where} has learning rate {value}; expected a finite number >= 0")
    return lr


def _betas(group):
    betas = tuple(group["betas"])
    if len(betas) != 2:
        raise ValueError(f"betas: expected two numbers (beta1, beta2), got {group['betas']!r}")
    return {"beta1": betas[0], "beta2": betas[1]}


def _adam_options(group):
    """The options of the Adam family, from torch's betas, eps and weight_decay."""
    return {**_betas(group), "eps": group["eps"], "weight_decay": group["weight_decay"]}


class _Kernel:
    """One parameter's C++ optimizer and torch views of its state buffers."""

    def __init__(self, signature, param, state_keys):
        name, options, _, _ = signature
        self.signature = signature
        self.core = _core.Optimizer(name, dict(options))
        self.core.prepare(param.numel(), _NUMPY_DTYPES[param.dtype])
        self.views = {state_keys.get(buffer, buffer): torch.from_numpy(values).view(param.shape)
                      for buffer, values in self.core.state().items()}
        self.state = None

    def owns(self, state):
        """True if state holds this kernel's views (and nothing loaded in their place)."""
        return state is self.state and all(state.get(key) is view
                                           for key, view in self.views.items())


class _DescentOptimizer(_TorchOptimizer):
    """A torch.optim.Optimizer whose update of each parameter is a descent kernel.

    A subclass maps a parameter group to the kernel's name and options
    (_kernel_spec), names the state as torch does (_STATE_KEYS: descent buffer
    -> torch key) and says how torch keeps its step count (_STEP_TYPE: "tensor"
    for a float32 scalar tensor, "int", or None for no count).
    """

    _STATE_KEYS = {}
    _STEP_TYPE = "tensor"

    def __init__(self, params, defaults):
        self._kernels = {}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        # load_state_dict and unpickling come here with new state tensors:
        # kernels are made again and take their values at the next step.
        super().__setstate__(state)
        self._kernels = {}

    def _kernel_spec(self, group):
        """(kernel name, options) for a parameter group."""
        raise NotImplementedError

    def _learning_rate(self, group, lr, t):
        """The learning rate of step t (from 1) given the group's lr."""
        return lr

    def add_param_group(self, param_group):
        super().add_param_group(param_group)
        index = len(self.param_groups) - 1
        try:
            self._check_group(self.param_groups[index], index)
        except (TypeError, ValueError):
            self.param_groups.pop()
            raise

    def _check_group(self, group, index):
        _checked_learning_rate(group["lr"], f"group {index}")
        name, options = self._checked_spec(group)
        _core.Optimizer(name, options)
        for position, param in enumerate(group["params"]):
            _check_parameter(param, f"group {index} parameter {position}")

    def _checked_spec(self, group):
        for flag in _UNSUPPORTED_FLAGS:
            if group.get(flag):
                raise ValueError(f"{flag}={group[flag]!r}: not supported by descent.torch."
                                 f"{type(self).__name__}")
        return self._kernel_spec(group)

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns closure()'s loss."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for kernel, param, grad, lr, state in self._prepared_updates():
            kernel.core.step(param.detach().numpy(), grad.numpy(), lr, check_finite=False)
            self._record_steps(kernel, state)
        return loss

    def _prepared_updates(self):
        """Each update of this step, every input checked before any is made."""
        updates = []
        for index, group in enumerate(self.param_groups):
            name, options = self._checked_spec(group)
            lr = _checked_learning_rate(group["lr"], f"group {index}")
            for position, param in enumerate(group["params"]):
                if param.grad is None:
                    continue
                where = f"group {index} parameter {position}"
                _check_parameter(param, where)
                grad = _checked_gradient(param, where)
                kernel = self._bound_kernel(param, (name, options), group)
                t = kernel.core.steps + 1
                updates.append((kernel, param, grad, self._learning_rate(group, lr, t),
                                self.state[param]))
        return updates

    def _bound_kernel(self, param, spec, group):
        """param's kernel, made again if its signature changed, its views in self.state[param]."""
        name, options = spec
        signature = (name, tuple(sorted(options.items())), param.dtype, tuple(param.shape))
        kernel = self._kernels.get(param)
        if kernel is None or kernel.signature != signature:
            kernel = _Kernel(signature, param, self._state_keys(group))
            self._kernels[param] = kernel
        state = self.state[param]
        if not kernel.owns(state):
            self._adopt(kernel, state)
        return kernel

    def _state_keys(self, group):
        return self._STATE_KEYS

    def _adopt(self, kernel, state):
        """Copies what state holds into the kernel and puts the kernel's views in its place."""
        steps = self._steps_in(state, kernel)
        for key, view in kernel.views.items():
            held = state.get(key)
            if held is not None and held is not view:
                if held.numel() != view.numel():
                    raise ValueError(f"state '{key}': {held.numel()} values for a parameter of "
                                     f"{view.numel()}")
                view.copy_(held.reshape(view.shape))
            state[key] = view
        kernel.core.steps = steps
        for name in kernel.core.scalars:
            if name in state:
                kernel.core.set_scalar(name, float(state[name]))
            state[name] = torch.tensor(kernel.core.scalars[name], dtype=torch.float64)
        if self._STEP_TYPE == "tensor":
            state["step"] = torch.tensor(float(steps))
        elif self._STEP_TYPE == "int":
            state["step"] = steps
        kernel.state = state

    def _steps_in(self, state, kernel):
        """The number of steps state was saved after."""
        return int(state.get("step", 0))

    def _record_steps(self, kernel, state):
        if self._STEP_TYPE == "tensor":
            state["step"].fill_(float(kernel.core.steps))
        elif self._STEP_TYPE == "int":
            state["step"] = kernel.core.steps
        for name, value in kernel.core.scalars.items():
            state[name].fill_(value)


class SGD(_DescentOptimizer):
    """torch.optim.SGD: plain, with momentum, or Nesterov momentum.

    convention="torch" (the default) keeps torch's momentum_buffer, which does
    not carry the learning rate; convention="notes" is the cs231n notes'
    velocity v = mu * v - lr * dw, kept as state 'velocity'. The two agree while
    the learning rate is constant.
    """

    _STEP_TYPE = None

    def __init__(self, params, lr=required, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 convention="torch"):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, convention=convention))

    def _kernel_spec(self, group):
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("nesterov: Nesterov momentum requires a momentum and zero dampening")
        if group["momentum"] == 0:
            return "sgd", {"weight_decay": group["weight_decay"]}
        return ("nesterov" if group["nesterov"] else "momentum"), {
            "momentum": group["momentum"], "dampening": group["dampening"],
            "momentum_convention": group.get("convention", "torch"),
            "weight_decay": group["weight_decay"]}

    def _state_keys(self, group):
        if group.get("convention", "torch") == "torch":
            return {"velocity": "momentum_buffer"}
        return {"velocity": "velocity"}

    def _adopt(self, kernel, state):
        super()._adopt(kernel, state)
        if not kernel.views:
            state["momentum_buffer"] = None

    def _steps_in(self, state, kernel):
        # torch keeps no count: a buffer means the first step, which starts it, is past.
        return int(any(state.get(key) is not None for key in kernel.views))


class Adam(_DescentOptimizer):
    """torch.optim.Adam; amsgrad=True runs descent's amsgrad kernel."""

    _STATE_KEYS = {"m": "exp_avg", "v": "exp_avg_sq", "v_max": "max_exp_avg_sq"}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                                      capturable=capturable, differentiable=differentiable,
                                      fused=fused))

    def _kernel_spec(self, group):
        return ("amsgrad" if group["amsgrad"] else "adam"), _adam_options(group)


class AdamW(_DescentOptimizer):
    """torch.optim.AdamW (descent has no AMSGrad variant of it: amsgrad=True is refused)."""

    _STATE_KEYS = {"m": "exp_avg", "v": "exp_avg_sq"}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, foreach=foreach, maximize=maximize,
                                      capturable=capturable))

    def _kernel_spec(self, group):
        if group["amsgrad"]:
            raise ValueError("amsgrad=True: descent has no AdamW with AMSGrad's maximum")
        return "adamw", _adam_options(group)


class RMSprop(_DescentOptimizer):
    """torch.optim.RMSprop (alpha is descent's decay_rate)."""

    _STATE_KEYS = {"cache": "square_avg", "grad_avg": "grad_avg",
                   "momentum_buffer": "momentum_buffer"}
    _STEP_TYPE = "int"

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, foreach=None, maximize=False, differentiable=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps,
                                      centered=centered, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable))

    def _kernel_spec(self, group):
        return "rmsprop", {"decay_rate": group["alpha"], "eps": group["eps"],
                           "centered": bool(group["centered"]), "momentum": group["momentum"],
                           "weight_decay": group["weight_decay"]}


class Adagrad(_DescentOptimizer):
    """torch.optim.Adagrad, with its lr_decay and initial_accumulator_value.

    As torch, the state of every parameter is made when its group is added.
    """

    _STATE_KEYS = {"cache": "sum"}

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps,
                                      weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      foreach=foreach, maximize=maximize))

    def add_param_group(self, param_group):
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        for param in group["params"]:
            state = self.state[param]
            if not state:
                state["step"] = torch.tensor(0.0)
                state["sum"] = torch.full_like(param, group["initial_accumulator_value"])

    def _kernel_spec(self, group):
        for name in ("lr_decay", "initial_accumulator_value"):
            if not group[name] >= 0:
                raise ValueError(f"{name}: expected a number >= 0, got {group[name]}")
        return "adagrad", {"eps": group["eps"], "weight_decay": group["weight_decay"]}

    def _learning_rate(self, group, lr, t):
        return lr / (1 + (t - 1) * group["lr_decay"])


class Adadelta(_DescentOptimizer):
    """torch.optim.Adadelta."""

    _STATE_KEYS = {"mean_g2": "square_avg", "mean_dx2": "acc_delta"}
    _STEP_TYPE = "int"

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 maximize=False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, foreach=foreach))

    def _kernel_spec(self, group):
        return "adadelta", {"rho": group["rho"], "eps": group["eps"],
                            "weight_decay": group["weight_decay"]}


class Adamax(_DescentOptimizer):
    """torch.optim.Adamax."""

    _STATE_KEYS = {"m": "exp_avg", "u": "exp_inf"}

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize))

    def _kernel_spec(self, group):
        return "adamax", _adam_options(group)


class NAdam(_DescentOptimizer):
    """torch.optim.NAdam as the paper and torch >= 2.0 (see the module's note on torch 1.13).

    The state's mu_product is a float64 tensor: descent keeps the product in
    double whatever the parameters' dtype.
    """

    _STATE_KEYS = {"m": "exp_avg", "v": "exp_avg_sq"}

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, foreach=None):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay, foreach=foreach))

    def _kernel_spec(self, group):
        return "nadam", {**_adam_options(group), "momentum_decay": group["momentum_decay"]}


class RAdam(_DescentOptimizer):
    """torch.optim.RAdam."""

    _STATE_KEYS = {"m": "exp_avg", "v": "exp_avg_sq"}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      foreach=foreach))

    def _kernel_spec(self, group):
        return "radam", _adam_options(group)


class Lion(_DescentOptimizer):
    """Lion (Chen et al. 2023) with lion-pytorch's arguments, defaults and state key.

    The weight decay is decoupled and multiplied by the learning rate.
    """

    _STATE_KEYS = {"m": "exp_avg"}
    _STEP_TYPE = None

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    def _kernel_spec(self, group):
        return "lion", {**_betas(group), "weight_decay": group["weight_decay"]}

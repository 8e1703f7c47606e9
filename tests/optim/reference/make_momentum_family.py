#!/usr/bin/env python3
"""Writes torch_momentum_family.json: trajectories of torch.optim's momentum
SGD, Nesterov SGD, Adagrad, RMSprop and Adadelta, in double precision, on fixed
gradient sequences (with a learning rate that changes between steps) and on
Rosenbrock's function from (-1.2, 1).

Each case records its options under descent's flag names (--momentum,
--dampening, --momentum-convention, --decay-rate, --centered, --eps, --rho,
--weight-decay), so the C++ tests build the optimizer through make_optimizer.
Only the torch convention of momentum and Nesterov has a torch counterpart; the
notes convention is checked against hand-derived values in the tests.

The C++ tests read the JSON and need no Python. Run with Debian's python3-torch:
  /usr/bin/python3 tests/optim/reference/make_momentum_family.py
"""
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent

LRS = [0.1, 0.05, 0.05, 0.2, 0.01, 0.1, 0.3, 0.02]


def torch_optimizer(name, options, params, lr):
    """The torch.optim optimizer for descent's `name` with `options`."""
    o = dict(options)
    wd = o.pop("weight-decay", 0.0)
    if name in ("momentum", "nesterov"):
        assert o.pop("momentum-convention") == "torch"
        return torch.optim.SGD(params, lr=lr, momentum=o.pop("momentum"),
                               dampening=o.pop("dampening", 0.0), weight_decay=wd,
                               nesterov=name == "nesterov")
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, eps=o.pop("eps"), weight_decay=wd)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=o.pop("decay-rate"), eps=o.pop("eps"),
                                   momentum=o.pop("momentum", 0.0),
                                   centered=o.pop("centered", False), weight_decay=wd)
    if name == "adadelta":
        return torch.optim.Adadelta(params, lr=lr, rho=o.pop("rho"), eps=o.pop("eps"),
                                    weight_decay=wd)
    raise ValueError(name)


def fixed_gradient_case(name, label, options, seed, size=7):
    """Steps on given gradients, with the learning rate changed per step."""
    gen = torch.Generator().manual_seed(2000 + seed)
    start = torch.randn(size, generator=gen)
    grads = [torch.randn(size, generator=gen) for _ in LRS]
    param = torch.nn.Parameter(start.clone())
    opt = torch_optimizer(name, options, [param], LRS[0])
    trajectory = []
    for lr, g in zip(LRS, grads):
        for group in opt.param_groups:
            group["lr"] = lr
        param.grad = g.clone()
        opt.step()
        trajectory.append(param.detach().tolist())
    return {
        "name": name,
        "label": label,
        "kind": "fixed_gradients",
        "options": options,
        "start": start.tolist(),
        "lrs": LRS,
        "grads": [g.tolist() for g in grads],
        "trajectory": trajectory,
    }


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def rosenbrock_case(name, label, options, lr, steps=200, start=(-1.2, 1.0)):
    param = torch.nn.Parameter(torch.tensor(list(start)))
    opt = torch_optimizer(name, options, [param], lr)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        rosenbrock(param).backward()
        opt.step()
        trajectory.append(param.detach().tolist())
    return {
        "name": name,
        "label": label,
        "kind": "rosenbrock",
        "options": options,
        "start": list(start),
        "lr": lr,
        "steps": steps,
        "trajectory": trajectory,
    }


TORCH = {"momentum-convention": "torch"}

# (name, label, options) for the fixed-gradient cases.
VARIANTS = [
    ("momentum", "mu", {**TORCH, "momentum": 0.9}),
    ("momentum", "dampening", {**TORCH, "momentum": 0.8, "dampening": 0.3}),
    ("momentum", "weight_decay", {**TORCH, "momentum": 0.9, "weight-decay": 0.05}),
    ("nesterov", "mu", {**TORCH, "momentum": 0.9}),
    ("nesterov", "weight_decay", {**TORCH, "momentum": 0.7, "weight-decay": 0.05}),
    ("adagrad", "eps_1e-8", {"eps": 1e-8}),
    ("adagrad", "eps_1e-10", {"eps": 1e-10}),
    ("adagrad", "weight_decay", {"eps": 1e-8, "weight-decay": 0.05}),
    ("rmsprop", "plain", {"decay-rate": 0.99, "eps": 1e-8}),
    ("rmsprop", "decay_0.9", {"decay-rate": 0.9, "eps": 1e-8}),
    ("rmsprop", "centered", {"decay-rate": 0.9, "eps": 1e-8, "centered": True}),
    ("rmsprop", "momentum", {"decay-rate": 0.9, "eps": 1e-8, "momentum": 0.5}),
    ("rmsprop", "centered_momentum",
     {"decay-rate": 0.9, "eps": 1e-8, "centered": True, "momentum": 0.5}),
    ("rmsprop", "weight_decay", {"decay-rate": 0.9, "eps": 1e-8, "weight-decay": 0.05}),
    ("adadelta", "plain", {"rho": 0.9, "eps": 1e-6}),
    ("adadelta", "weight_decay", {"rho": 0.95, "eps": 1e-5, "weight-decay": 0.05}),
]

# (name, label, options, lr) for the Rosenbrock cases.
ROSENBROCK = [
    ("momentum", "mu", {**TORCH, "momentum": 0.9}, 1e-3),
    ("nesterov", "mu", {**TORCH, "momentum": 0.9}, 1e-3),
    ("adagrad", "eps_1e-8", {"eps": 1e-8}, 0.1),
    ("rmsprop", "plain", {"decay-rate": 0.99, "eps": 1e-8}, 1e-3),
    ("rmsprop", "centered_momentum",
     {"decay-rate": 0.9, "eps": 1e-8, "centered": True, "momentum": 0.5}, 1e-4),
    ("adadelta", "plain", {"rho": 0.9, "eps": 1e-6}, 1.0),
]


def main():
    cases = [fixed_gradient_case(n, label, o, seed) for seed, (n, label, o) in enumerate(VARIANTS)]
    cases += [rosenbrock_case(n, label, o, lr) for n, label, o, lr in ROSENBROCK]
    out = {
        "generator": "tests/optim/reference/make_momentum_family.py",
        "torch_version": torch.__version__,
        "cases": cases,
    }
    path = HERE / "torch_momentum_family.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path} ({len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes torch_optim.json: trajectories of torch.optim optimizers, in double
precision, on fixed gradient sequences and on Rosenbrock's function.

The C++ tests read the JSON and need no Python. Run from anywhere with Debian's
python3-torch:  /usr/bin/python3 tests/optim/reference/make_reference.py
"""
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent


def gradient_sequence(seed, steps, size):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(size, generator=gen) for _ in range(steps)]


def fixed_gradient_case(name, make, lrs, seed=0, size=7):
    """Steps the optimizer on given gradients, with lr changed per step."""
    gen = torch.Generator().manual_seed(1000 + seed)
    start = torch.randn(size, generator=gen)
    param = torch.nn.Parameter(start.clone())
    opt = make([param])
    grads = gradient_sequence(seed, len(lrs), size)
    trajectory = []
    for lr, g in zip(lrs, grads):
        for group in opt.param_groups:
            group["lr"] = lr
        param.grad = g.clone()
        opt.step()
        trajectory.append(param.detach().tolist())
    return {
        "name": name,
        "kind": "fixed_gradients",
        "start": start.tolist(),
        "lrs": lrs,
        "grads": [g.tolist() for g in grads],
        "trajectory": trajectory,
    }


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def rosenbrock_case(name, make, lr, steps, start):
    param = torch.nn.Parameter(torch.tensor(start))
    opt = make([param], lr)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        rosenbrock(param).backward()
        opt.step()
        trajectory.append(param.detach().tolist())
    return {
        "name": name,
        "kind": "rosenbrock",
        "start": start,
        "lr": lr,
        "steps": steps,
        "trajectory": trajectory,
    }


def main():
    lrs = [0.1, 0.05, 0.05, 0.2, 0.01, 0.1, 0.3, 0.02]
    cases = [
        fixed_gradient_case("sgd", lambda p: torch.optim.SGD(p, lr=0.1), lrs),
        rosenbrock_case("sgd", lambda p, lr: torch.optim.SGD(p, lr=lr), 1e-3, 200, [-1.2, 1.0]),
    ]
    out = {
        "generator": "tests/optim/reference/make_reference.py",
        "torch_version": torch.__version__,
        "cases": cases,
    }
    path = HERE / "torch_optim.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path} ({len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()

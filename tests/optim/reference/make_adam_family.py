#!/usr/bin/env python3
"""Writes torch_adam_family.json: trajectories of torch.optim's Adam, AdamW,
Adam(amsgrad=True), Adamax, NAdam and RAdam in double precision.

Each optimizer runs on
  - a fixed gradient sequence whose scale jumps between steps (so AMSGrad's
    running maximum and Adamax's infinity norm both switch sources) with a
    learning rate changed before every step (torch reads group["lr"] each step),
    once with the defaults and once with weight decay and other betas and eps;
  - another such sequence scaled by 1e-7, where eps is as large as sqrt(v): it
    tells eps inside the square root from outside, and bias-corrected v from not;
  - Rosenbrock's function from (-1.2, 1).
40 steps cover bias correction and RAdam's switch to the rectified update
(rho_t > 5 first at t = 6 with beta2 = 0.999, and with beta2 = 0.99).

NAdam: torch 1.13 multiplies mu_t into the product twice in its look-ahead
term (mu_product_next = mu_product * mu * mu_next, after mu_product *= mu);
torch 2.0 fixed it (pytorch/pytorch#92699) to mu_product * mu_next, Dozat's
prod_{i<=t+1} mu_i. descent follows the fixed formula, so "nadam" below is
torch 1.13's NAdam with that one line fixed, and "nadam_torch113" is the
unfixed original, kept so a test can show the two differ.

The C++ tests read the JSON and need no Python. Run with Debian's python3-torch:
  /usr/bin/python3 tests/optim/reference/make_adam_family.py
"""
import importlib
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent
# torch.optim deletes its submodule names; the module itself is still loaded.
NADAM_MODULE = importlib.import_module("torch.optim.nadam")

STEPS = 40
LRS = [0.1, 0.05, 0.05, 0.2, 0.01, 0.1, 0.3, 0.02]
SCALES = [1.0, 0.5, 3.0, 0.2, 1.0, 0.05, 2.0, 0.1]


def nadam_fixed(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *, beta1,
                beta2, lr, weight_decay, momentum_decay, eps):
    """torch 1.13's _single_tensor_nadam with mu_product_next as in torch 2.0."""
    for param, grad, exp_avg, exp_avg_sq, mu_product, step_t in zip(
            params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps):
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        mu_product_next = mu_product * mu_next  # the fix
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))


def with_fixed_nadam(make):
    """Builds the optimizer so that its step() runs nadam_fixed (torch looks
    _single_tensor_nadam up at each call)."""
    def build(p, c):
        opt = make(p, c)
        step = opt.step

        def fixed_step(*args, **kwargs):
            original = NADAM_MODULE._single_tensor_nadam
            NADAM_MODULE._single_tensor_nadam = nadam_fixed
            try:
                return step(*args, **kwargs)
            finally:
                NADAM_MODULE._single_tensor_nadam = original
        opt.step = fixed_step
        return opt
    return build


def gradient_sequence(seed, scale):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(7, generator=gen) * SCALES[t % len(SCALES)] * scale
            for t in range(STEPS)]


def fixed_gradient_case(name, kind, make, config, scale=1.0, seed=0):
    """Steps the optimizer on given gradients, with lr changed before each step."""
    gen = torch.Generator().manual_seed(1000 + seed)
    start = torch.randn(7, generator=gen)
    param = torch.nn.Parameter(start.clone())
    opt = make([param], config)
    grads = gradient_sequence(seed, scale)
    lrs = [LRS[t % len(LRS)] for t in range(STEPS)]
    trajectory = []
    for lr, g in zip(lrs, grads):
        for group in opt.param_groups:
            group["lr"] = lr
        param.grad = g.clone()
        opt.step()
        trajectory.append(param.detach().tolist())
    return {"name": name, "kind": kind, "config": config, "start": start.tolist(), "lrs": lrs,
            "grads": [g.tolist() for g in grads], "trajectory": trajectory}


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def rosenbrock_case(name, make, config, lr, steps=200, start=(-1.2, 1.0)):
    param = torch.nn.Parameter(torch.tensor(start))
    opt = make([param], config)
    for group in opt.param_groups:
        group["lr"] = lr
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        rosenbrock(param).backward()
        opt.step()
        trajectory.append(param.detach().tolist())
    return {"name": name, "kind": "rosenbrock", "config": config, "start": list(start), "lr": lr,
            "steps": steps, "trajectory": trajectory}


def betas(c):
    return (c["beta1"], c["beta2"])


def make_nadam(p, c):
    return torch.optim.NAdam(p, betas=betas(c), eps=c["eps"], weight_decay=c["weight_decay"],
                             momentum_decay=c["momentum_decay"], foreach=False)


OPTIMIZERS = {
    "adam": lambda p, c: torch.optim.Adam(
        p, betas=betas(c), eps=c["eps"], weight_decay=c["weight_decay"], foreach=False),
    "adamw": lambda p, c: torch.optim.AdamW(
        p, betas=betas(c), eps=c["eps"], weight_decay=c["weight_decay"], foreach=False),
    "amsgrad": lambda p, c: torch.optim.Adam(
        p, betas=betas(c), eps=c["eps"], weight_decay=c["weight_decay"], amsgrad=True,
        foreach=False),
    "adamax": lambda p, c: torch.optim.Adamax(
        p, betas=betas(c), eps=c["eps"], weight_decay=c["weight_decay"], foreach=False),
    "nadam": with_fixed_nadam(make_nadam),
    "radam": lambda p, c: torch.optim.RAdam(
        p, betas=betas(c), eps=c["eps"], weight_decay=c["weight_decay"], foreach=False),
}


def configs(name):
    """torch's defaults, and a variant with weight decay and other betas and eps."""
    default = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
               "weight_decay": 1e-2 if name == "adamw" else 0.0}
    other = {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1}
    if name == "nadam":
        default["momentum_decay"] = 4e-3
        other["momentum_decay"] = 2e-2
    return default, other


def main():
    cases = []
    for name, make in OPTIMIZERS.items():
        default, other = configs(name)
        cases.append(fixed_gradient_case(name, "fixed_gradients", make, default))
        cases.append(fixed_gradient_case(name, "fixed_gradients_other", make, other, seed=1))
        cases.append(fixed_gradient_case(name, "tiny_gradients", make, default, scale=1e-7,
                                         seed=2))
        # RAdam's first five steps are plain momentum steps of size lr * |dw| (~200 at
        # the start), which lr = 1e-2 would throw far out of the valley.
        cases.append(rosenbrock_case(name, make, default, lr=1e-3 if name == "radam" else 1e-2))
    default, _ = configs("nadam")
    cases.append(fixed_gradient_case("nadam_torch113", "fixed_gradients", make_nadam, default))
    out = {
        "generator": "tests/optim/reference/make_adam_family.py",
        "torch_version": torch.__version__,
        "cases": cases,
    }
    path = HERE / "torch_adam_family.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path} ({len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()

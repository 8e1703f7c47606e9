#!/usr/bin/env python3
"""Writes torch_schedules.json: learning rates from torch.optim.lr_scheduler,
step by step, for the schedules descent implements.

Each case holds descent's schedule config under the command line's flag names,
the base learning rate and the learning rate of updates t = 0, 1, ...: what
get_last_lr() says before the t-th call of step(). Where torch has a closed
form (_get_closed_form_lr) it is written too, as "closed_form": torch's usual
step() path is recursive for cosine and multiplies the previous rate, so it
drifts from the closed form by rounding; descent computes the closed form.

Reduce-on-plateau cases hold a fixed metric sequence and the learning rate
after each scheduler.step(metric), as descent's observe(metric).

Inverse-time decay, which torch lacks, comes from LambdaLR; warm-up is
LinearLR(start_factor=1/(W+1), total_iters=W) followed by the schedule through
SequentialLR(milestones=[W]): lr * (t+1)/(W+1) for t < W, then the schedule
from its own step 0.

The C++ tests read the JSON and need no Python. Run from anywhere with Debian's
python3-torch:  /usr/bin/python3 tests/optim/reference/make_schedules.py
"""
import json
import math
import pathlib
import warnings

import torch
from torch.optim import lr_scheduler as lrs

HERE = pathlib.Path(__file__).resolve().parent


def optimizer(lr):
    param = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    return torch.optim.SGD([param], lr=lr)


def pure_case(name, config, base_lr, steps, make):
    """Runs make(optimizer) for `steps` updates and records lr(t)."""
    opt = optimizer(base_lr)
    sched = make(opt)
    rates, closed = [], []
    for _ in range(steps):
        rates.append(sched.get_last_lr()[0])
        if hasattr(sched, "_get_closed_form_lr"):
            closed.append(sched._get_closed_form_lr()[0])
        opt.step()
        with warnings.catch_warnings():
            # SequentialLR's step(0) at the milestone warns that passing a step is deprecated.
            warnings.simplefilter("ignore")
            sched.step()
    case = {"name": name, "config": config, "base_lr": base_lr, "lrs": rates}
    if closed:
        case["closed_form"] = closed
    return case


def warmup_case(name, config, base_lr, steps, make_after):
    """Linear warm-up over config['warmup'] updates, then make_after's schedule."""
    w = config["warmup"]

    def make(opt):
        warm = lrs.LinearLR(opt, start_factor=1.0 / (w + 1), end_factor=1.0, total_iters=w)
        after = make_after(opt)
        return lrs.SequentialLR(opt, [warm, after], milestones=[w])

    return pure_case(name, config, base_lr, steps, make)


def plateau_case(name, config, base_lr, metrics):
    opt = optimizer(base_lr)
    sched = lrs.ReduceLROnPlateau(
        opt,
        mode=config.get("mode", "min"),
        factor=config.get("factor", 0.1),
        patience=config.get("patience", 10),
        threshold=config.get("threshold", 1e-4),
        threshold_mode="rel",
        cooldown=config.get("cooldown", 0),
        min_lr=config.get("min-lr", 0.0),
    )
    rates = []
    for m in metrics:
        opt.step()
        sched.step(m)
        rates.append(opt.param_groups[0]["lr"])
    return {"name": name, "config": config, "base_lr": base_lr, "metrics": metrics, "lrs": rates}


def loss_curve(epochs):
    """A validation loss that falls, then wanders on a plateau, with exact ties."""
    out = []
    for e in range(epochs):
        value = 0.6 + 2.0 * math.exp(-0.15 * e) + 0.01 * math.sin(1.7 * e)
        out.append(round(value, 3) if e % 7 else value)
    out[20] = out[19]  # an exact tie is not an improvement
    return out


def accuracy_curve(epochs):
    return [min(0.9, 0.5 + 0.05 * e) + 0.002 * math.cos(e) for e in range(epochs)]


def main():
    cases = [
        pure_case("step", {"kind": "step", "step-size": 7, "gamma": 0.5}, 0.1, 60,
                  lambda o: lrs.StepLR(o, step_size=7, gamma=0.5)),
        pure_case("step_every_update", {"kind": "step", "step-size": 1, "gamma": 0.9}, 0.3, 40,
                  lambda o: lrs.StepLR(o, step_size=1, gamma=0.9)),
        pure_case("exponential", {"kind": "exponential", "gamma": 0.95}, 0.1, 120,
                  lambda o: lrs.ExponentialLR(o, gamma=0.95)),
        pure_case("multistep", {"kind": "multistep", "milestones": [5, 12, 30], "gamma": 0.3},
                  0.2, 50, lambda o: lrs.MultiStepLR(o, milestones=[5, 12, 30], gamma=0.3)),
        pure_case("multistep_from_zero", {"kind": "multistep", "milestones": [0, 3], "gamma": 0.5},
                  1.0, 8, lambda o: lrs.MultiStepLR(o, milestones=[0, 3], gamma=0.5)),
        pure_case("inverse_time", {"kind": "inverse-time", "decay": 0.05}, 0.1, 80,
                  lambda o: lrs.LambdaLR(o, lambda t: 1.0 / (1.0 + 0.05 * t))),
        pure_case("cosine", {"kind": "cosine", "period": 40, "min-lr": 1e-3}, 0.1, 120,
                  lambda o: lrs.CosineAnnealingLR(o, T_max=40, eta_min=1e-3)),
        pure_case("cosine_long", {"kind": "cosine", "period": 1000}, 0.5, 1001,
                  lambda o: lrs.CosineAnnealingLR(o, T_max=1000)),
        pure_case("cosine_restarts",
                  {"kind": "cosine", "restarts": True, "period": 5, "period-mult": 1}, 0.1, 40,
                  lambda o: lrs.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=1)),
        pure_case("cosine_restarts_mult",
                  {"kind": "cosine", "restarts": True, "period": 3, "period-mult": 2,
                   "min-lr": 1e-3}, 0.1, 100,
                  lambda o: lrs.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=1e-3)),
        pure_case("one_cycle", {"kind": "one-cycle", "total-steps": 100}, 0.4, 100,
                  lambda o: lrs.OneCycleLR(o, max_lr=0.4, total_steps=100,
                                           cycle_momentum=False)),
        pure_case("one_cycle_options",
                  {"kind": "one-cycle", "max-lr": 0.05, "total-steps": 37, "pct-start": 0.25,
                   "div-factor": 10.0, "final-div-factor": 100.0}, 0.001, 37,
                  lambda o: lrs.OneCycleLR(o, max_lr=0.05, total_steps=37, pct_start=0.25,
                                           div_factor=10.0, final_div_factor=100.0,
                                           cycle_momentum=False)),
        warmup_case("warmup_step", {"kind": "step", "warmup": 5, "step-size": 4, "gamma": 0.5},
                    0.1, 30, lambda o: lrs.StepLR(o, step_size=4, gamma=0.5)),
        warmup_case("warmup_cosine", {"kind": "cosine", "warmup": 10, "period": 50,
                                      "min-lr": 1e-4}, 0.2, 70,
                    lambda o: lrs.CosineAnnealingLR(o, T_max=50, eta_min=1e-4)),
        warmup_case("warmup_constant", {"kind": "constant", "warmup": 3}, 0.1, 10,
                    lambda o: lrs.ConstantLR(o, factor=1.0, total_iters=0)),
        plateau_case("plateau_defaults", {"kind": "plateau"}, 0.1, loss_curve(100)),
        plateau_case("plateau_patience_cooldown",
                     {"kind": "plateau", "factor": 0.5, "patience": 2, "cooldown": 3,
                      "min-lr": 0.01}, 0.1, loss_curve(100)),
        plateau_case("plateau_max", {"kind": "plateau", "mode": "max", "factor": 0.2,
                                     "patience": 1, "threshold": 1e-3}, 0.05, accuracy_curve(40)),
        # Near 1e-8 a reduction smaller than torch's eps (1e-8) is skipped.
        plateau_case("plateau_tiny_lr", {"kind": "plateau", "factor": 0.5, "patience": 0},
                     4e-8, [1.0] * 8),
    ]
    out = {
        "generator": "tests/optim/reference/make_schedules.py",
        "torch_version": torch.__version__,
        "cases": cases,
    }
    path = HERE / "torch_schedules.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path} ({len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes torch_lbfgs.json: the first iterates of torch.optim.LBFGS
(line_search_fn="strong_wolfe", history_size=10, lr=1) on Rosenbrock's
function in 2-D from (-1.2, 1), in double precision.

Iterate k is the point after a fresh optimizer's step() with max_iter=k, so
each is torch's own k-th iterate (max_eval is raised so that only max_iter
stops it); "evaluations" is torch's func_evals then.

The C++ tests read the JSON and need no Python. Run from anywhere with Debian's
python3-torch:  /usr/bin/python3 tests/optim/reference/make_lbfgs_reference.py
"""
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent
START = [-1.2, 1.0]
ITERATIONS = 4


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def iterate(k):
    x = torch.nn.Parameter(torch.tensor(START))
    opt = torch.optim.LBFGS([x], lr=1, max_iter=k, max_eval=1000, history_size=10,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        f = rosenbrock(x)
        f.backward()
        return f

    opt.step(closure)
    state = opt.state[opt._params[0]]
    return x.detach().tolist(), rosenbrock(x.detach()).item(), state["func_evals"]


def main():
    iterates, values, evaluations = [], [], []
    for k in range(1, ITERATIONS + 1):
        x, f, evals = iterate(k)
        iterates.append(x)
        values.append(f)
        evaluations.append(evals)
    out = {
        "torch_version": torch.__version__,
        "function": "rosenbrock",
        "start": START,
        "history": 10,
        "c1": 1e-4,
        "c2": 0.9,
        "iterates": iterates,
        "f": values,
        "evaluations": evaluations,
    }
    (HERE / "torch_lbfgs.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

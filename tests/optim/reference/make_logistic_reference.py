#!/usr/bin/env python3
"""Writes torch_logistic.json: the minimum of L2-penalized logistic regression
on a Fashion-MNIST pair of classes, found by torch.optim.LBFGS in double
precision to a tight tolerance.

The problem (include/descent/optim/logistic_regression.hpp):
  f(w, b) = mean_i [log(1 + exp(z_i)) - t_i z_i] + lambda/2 ||w||^2,  z_i = w . a_i + b
on the first PER_CLASS training images of each class, in file order, with
pixels scaled to [0, 1] in float32 (as descent reads them), t_i = 1 for the
second class. It is strongly convex, so its minimum f* is unique.

The C++ tests read the JSON and need no Python. Run from anywhere with Debian's
python3-torch and dataset-fashion-mnist:
  /usr/bin/python3 tests/optim/reference/make_logistic_reference.py
"""
import gzip
import json
import pathlib

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent
DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")
CLASSES = [0, 6]  # T-shirt/top against Shirt: the pair hardest to tell apart
PER_CLASS = 1000
LAMBDA = 0.01


def read_idx(name, header):
    return np.frombuffer(gzip.open(DATA / name).read(), np.uint8, offset=header)


def load_pair():
    images = read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784)
    labels = read_idx("train-labels-idx1-ubyte.gz", 8)
    first = [np.nonzero(labels == c)[0][:PER_CLASS] for c in CLASSES]
    rows = np.sort(np.concatenate(first))
    features = images[rows].astype(np.float32) / np.float32(255)
    targets = (labels[rows] == CLASSES[1]).astype(np.float64)
    return torch.from_numpy(features.astype(np.float64)), torch.from_numpy(targets)


def objective(a, t, w, b):
    z = a @ w + b
    return (torch.nn.functional.softplus(z) - t * z).mean() + 0.5 * LAMBDA * (w @ w)


def main():
    a, t = load_pair()
    w = torch.zeros(a.shape[1], requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    opt = torch.optim.LBFGS([w, b], lr=1, max_iter=100000, max_eval=200000,
                            tolerance_grad=1e-13, tolerance_change=0, history_size=10,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        f = objective(a, t, w, b)
        f.backward()
        return f

    # torch stops near ||g|| = 3e-8, at rounding level for its line search:
    # f is then within ||g||^2 / (2 mu) ~ 1e-13 of f* (mu ~ 0.008, the least
    # curvature), ||w|| within ||g|| / mu ~ 4e-6.
    opt.step(closure)
    f = closure()
    gradient = torch.cat([w.grad, b.grad.reshape(1)])
    with torch.no_grad():
        correct = ((a @ w + b > 0).double() == t).double().mean().item()
        z = torch.cat([a, torch.ones(a.shape[0], 1)], dim=1)
        # Hessian <= (1/4N) Z^T Z + lambda I, Z = [A, 1]: a step size 1/L for gradient methods.
        lipschitz = torch.linalg.eigvalsh(z.T @ z / a.shape[0])[-1].item() / 4 + LAMBDA
    out = {
        "torch_version": torch.__version__,
        "classes": CLASSES,
        "per_class": PER_CLASS,
        "lambda": LAMBDA,
        "f_star": f.item(),
        "w_norm": w.detach().norm().item(),
        "bias": b.item(),
        "accuracy": correct,
        "gradient_norm": gradient.norm().item(),
        "lipschitz_bound": lipschitz,
        "iterations": opt.state[opt._params[0]]["n_iter"],
    }
    (HERE / "torch_logistic.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

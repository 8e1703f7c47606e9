#!/usr/bin/env python3
"""Writes quadratic_deep.json: DeepOBS's noisy quadratic (quadratic_deep) as
NumPy and PyTorch compute it, for descent's tests of its own computation.

Written here from DeepOBS's definition (deepobs/pytorch/testproblems/
quadratic_deep.py, testproblems_modules.py and datasets/quadratic.py of
Schneider, Balles and Hennig's DeepOBS, ICLR 2019):
  rng = numpy.random.RandomState(42)
  eigenvalues: 90 of rng.uniform(0, 1), then 10 of rng.uniform(30, 60)
  R: the subgroup algorithm (Diaconis and Shahshahani 1987) on the same rng,
     from the 2-D rotation at angle 2 pi rng.uniform() up to 100 dimensions,
     then negated
  Q = R^T diag(eigenvalues) R
  data: RandomState(42).normal(0, 0.6, (1000, 100)) for training, seed 43 for
        test, both as float32
  loss: 0.5 (theta - x)^T Q (theta - x), averaged over the batch; theta from 1

Besides Q and the data, the file holds NumPy's first legacy draws (for the
RandomState reimplementation) and three full-batch SGD steps in PyTorch
(float32, as DeepOBS trains), for the training test. The C++ tests read the
JSON and need no Python. Run with Debian's python3-numpy and python3-torch:
  /usr/bin/python3 tests/nn/reference/make_quadratic_reference.py
"""
import json
import pathlib

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent
DIM = 100
LR = 0.01
STEPS = 3


def rotation(dim, rng):
    angle = 2 * np.pi * rng.uniform()
    r = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    for d in range(2, dim):
        v = rng.normal(size=(d + 1, 1))
        v = v / np.sqrt(v.T @ v)
        e1 = np.zeros((d + 1, 1))
        e1[0, 0] = 1.0
        x = (e1 - v) / np.sqrt((e1 - v).T @ (e1 - v))
        embedded = np.eye(d + 1)
        embedded[1:, 1:] = r
        r = embedded - 2 * np.outer(x, x.T @ embedded)
    return -r


def main():
    rng = np.random.RandomState(42)
    eigenvalues = np.concatenate((rng.uniform(0.0, 1.0, 90), rng.uniform(30.0, 60.0, 10)))
    r = rotation(DIM, rng)
    hessian = r.T @ (np.diag(eigenvalues) @ r)
    hessian32 = hessian.astype(np.float32)

    train = np.random.RandomState(42).normal(0.0, 0.6, (1000, DIM)).astype(np.float32)
    test = np.random.RandomState(43).normal(0.0, 0.6, (1000, DIM)).astype(np.float32)

    draws = np.random.RandomState(7)
    uniforms = [draws.random_sample() for _ in range(4)]
    normals = [draws.standard_normal() for _ in range(5)]  # odd: one cached value left
    after = draws.uniform(-2.0, 3.0)

    q = torch.from_numpy(hessian32)
    theta = torch.ones(DIM, requires_grad=True)
    optimizer = torch.optim.SGD([theta], lr=LR)
    x = torch.from_numpy(train)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        d = theta - x
        loss = (0.5 * ((d @ q) * d).sum(dim=1)).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        d = theta - torch.from_numpy(test)
        test_loss = (0.5 * ((d @ q) * d).sum(dim=1)).mean().item()

    reference = {
        "seed7_random_sample": uniforms,
        "seed7_standard_normal": normals,
        "seed7_uniform_after": after,
        "eigenvalues": eigenvalues.tolist(),
        "rotation_det": float(np.linalg.det(r)),
        "hessian_row0": hessian[0].tolist(),
        "hessian_diagonal": np.diag(hessian).tolist(),
        "hessian_trace": float(np.trace(hessian)),
        "hessian_frobenius": float(np.linalg.norm(hessian)),
        "train_first_row": train[0].astype(float).tolist(),
        "train_last_value": float(train[-1, -1]),
        "train_sum": float(train.astype(np.float64).sum()),
        "test_first_row": test[0].astype(float).tolist(),
        "sgd": {"lr": LR, "steps": STEPS, "losses": losses,
                "theta": theta.detach().numpy().astype(float).tolist(), "test_loss": test_loss},
    }
    path = HERE / "quadratic_deep.json"
    path.write_text(json.dumps(reference, indent=1) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()

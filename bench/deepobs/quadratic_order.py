#!/usr/bin/python3
"""quadratic_deep's minibatch order, simulated in NumPy, apart from descent.

DeepOBS's baselines for quadratic_deep (docs/problems.md) have a far smaller
spread over seeds for momentum than descent's runs, and a lower mean. This
script runs the same updates in float64 NumPy on the same Q and data (built
by tests/nn/reference/make_quadratic_reference.py's rotation, as DeepOBS
builds them), batch 128 with the last partial batch dropped, theta from 1,
with two orders of the minibatches:

  fresh  a new permutation of the 1,000 training samples every epoch
  once   one permutation per seed, visited again in every epoch

and prints the test loss after the last epoch (mean over the first 896 test
samples, as DeepOBS's TensorFlow runner evaluates it), mean +- sd over the
seeds, beside DeepOBS's baselines.

  /usr/bin/python3 bench/deepobs/quadratic_order.py             # 100 epochs, 10 seeds, a minute
  /usr/bin/python3 bench/deepobs/quadratic_order.py --epochs 10 --seeds 5
"""

import argparse
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "nn" / "reference"))
from make_quadratic_reference import DIM, rotation  # noqa: E402

# name: (learning rate, DeepOBS's test loss at epoch 100: mean, sd over 10 seeds)
SETTINGS = {
    "sgd": (0.0158, 87.398, 0.169),
    "momentum": (0.00251, 87.045, 0.025),
    "adam": (0.0398, 87.112, 0.024),
}
BATCH, TRAIN, TEST_EVALUATED = 128, 1000, 896


def problem():
    rng = np.random.RandomState(42)
    eigenvalues = np.concatenate((rng.uniform(0.0, 1.0, 90), rng.uniform(30.0, 60.0, 10)))
    r = rotation(DIM, rng)
    hessian = r.T @ (np.diag(eigenvalues) @ r)
    train = np.random.RandomState(42).normal(0.0, 0.6, (TRAIN, DIM)).astype(np.float32)
    test = np.random.RandomState(43).normal(0.0, 0.6, (TRAIN, DIM)).astype(np.float32)
    return hessian, train.astype(np.float64), test[:TEST_EVALUATED].astype(np.float64)


def test_loss(hessian, theta, test):
    d = theta - test
    return 0.5 * np.mean(np.einsum("ij,jk,ik->i", d, hessian, d))


def train(hessian, data, optimizer, lr, seed, epochs, order):
    """The test loss after `epochs` epochs; updates as torch.optim's SGD, SGD with
    momentum 0.99 (lr outside the velocity) and Adam (0.9, 0.999, 1e-8)."""
    rng = np.random.RandomState(seed)
    theta = np.ones(DIM)
    velocity, first, second = np.zeros(DIM), np.zeros(DIM), np.zeros(DIM)
    step = 0
    permutation = rng.permutation(TRAIN)
    for epoch in range(epochs):
        if order == "fresh" and epoch > 0:
            permutation = rng.permutation(TRAIN)
        for b in range(TRAIN // BATCH):
            batch = data[permutation[b * BATCH:(b + 1) * BATCH]]
            grad = hessian @ (theta - batch.mean(axis=0))
            step += 1
            if optimizer == "sgd":
                theta -= lr * grad
            elif optimizer == "momentum":
                velocity = 0.99 * velocity + grad
                theta -= lr * velocity
            else:
                first = 0.9 * first + 0.1 * grad
                second = 0.999 * second + 0.001 * grad * grad
                m_hat = first / (1 - 0.9 ** step)
                v_hat = second / (1 - 0.999 ** step)
                theta -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)
    return theta


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--seeds", type=int, default=10)
    args = p.parse_args()
    hessian, data, test = problem()
    print("quadratic_deep, batch 128, %d epochs, %d seeds: test loss, mean +- sd"
          % (args.epochs, args.seeds))
    print("%-9s %-8s %-18s %-18s %-18s" % ("optimizer", "lr", "DeepOBS (ep. 100)", "fresh order",
                                           "order once"))
    for optimizer, (lr, mean, sd) in SETTINGS.items():
        cells = []
        for order in ("fresh", "once"):
            losses = [test_loss(hessian, train(hessian, data, optimizer, lr, seed, args.epochs,
                                               order), test) for seed in range(args.seeds)]
            cells.append("%.3f +- %.3f" % (np.mean(losses), np.std(losses, ddof=1)))
        print("%-9s %-8g %-18s %-18s %-18s" % (optimizer, lr, "%.3f +- %.3f" % (mean, sd), *cells))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""torch.optim.LBFGS on extended Rosenbrock (Moré, Garbow & Hillstrom) from
(-1.2, 1, -1.2, 1, ...), n = 2, 100, 10,000, in double precision, beside
bench/lbfgs/lbfgs_peers: history 10, line_search_fn="strong_wolfe"
(c1 = 1e-4, c2 = 0.9), lr 1. Prints iterations, evaluations of f and its
gradient, the final f, the distance to (1, ..., 1) and the median time.

Stopping: torch tests max |g_i| <= tolerance_grad, not liblbfgs's
||g||_2 <= eps max(1, ||x||_2); --tolerance sets tolerance_grad (default
1e-5), tolerance_change is torch's default 1e-9.

  /usr/bin/python3 bench/lbfgs/torch_lbfgs.py [--tolerance 1e-5] [--threads 1]
"""
import argparse
import statistics
import time

import torch

torch.set_default_dtype(torch.float64)


def extended_rosenbrock(x):
    odd, even = x[0::2], x[1::2]
    return (100 * (even - odd**2) ** 2 + (1 - odd) ** 2).sum()


def start(n):
    x = torch.ones(n)
    x[0::2] = -1.2
    return x


def solve(n, tolerance):
    x = torch.nn.Parameter(start(n))
    opt = torch.optim.LBFGS([x], lr=1, max_iter=1000, max_eval=10000, history_size=10,
                            tolerance_grad=tolerance, line_search_fn="strong_wolfe")
    evaluations = 0

    def closure():
        nonlocal evaluations
        evaluations += 1
        opt.zero_grad()
        f = extended_rosenbrock(x)
        f.backward()
        return f

    opt.step(closure)
    state = opt.state[opt._params[0]]
    with torch.no_grad():
        f = extended_rosenbrock(x).item()
        distance = (x - 1).norm().item()
    return state["n_iter"], evaluations, f, distance


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tolerance", type=float, default=1e-5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"{'library':26} {'n':>6} {'iters':>6} {'evals':>6} {'final f':>12} {'distance':>12} {'ms':>10}")
    for n in (2, 100, 10000):
        iterations, evaluations, f, distance = solve(n, args.tolerance)
        times = []
        while len(times) < 5 or (sum(times) < 0.3 and len(times) < 2000):
            begin = time.perf_counter()
            solve(n, args.tolerance)
            times.append(time.perf_counter() - begin)
        print(f"{'torch.optim.LBFGS':26} {n:6d} {iterations:6d} {evaluations:6d} {f:12.3e} "
              f"{distance:12.3e} {statistics.median(times) * 1e3:10.4f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The authors' sfo.py's own time per evaluation, beside bench/optim/sfo_overhead.

Imports sfo.py from a copy of github.com/Sohl-Dickstein/Sum-of-Functions-Optimizer
that the user gives (--sfo-ref DIR; nothing of it is kept here) and times it as
the authors' generate_figures/figure_overhead.py and the reference measurement
(tests/optim/reference/sfo/sfo_reference_run.py --overhead) do: the toy
  f_k(x) = (1/M) sum_m ((x_m - u_km)^2)^(a_k / 2),  a_k ~ U[1.5, 4.5], u_k ~ N(0, I),
x0 ~ N(0, I) (numpy seed 0), SFO with its defaults, optimize(num_passes=2) to
warm up, then optimize(num_passes=2) timed. Per evaluation, in ms:
  wall  sfo.py's own clocks, (time_pass - time_func) / evaluations (time.time())
  cpu   this thread's CPU time in optimize() less that in the subfunction
        (time.thread_time()), which other processes on the machine do not inflate.
One JSON line per size. Needs numpy (Debian's python3-numpy); pin BLAS to one
thread as the reference did (OPENBLAS_NUM_THREADS=1, set here unless given).

  /usr/bin/python3 bench/optim/sfo_python_overhead.py --sfo-ref ~/src/Sum-of-Functions-Optimizer
  /usr/bin/python3 bench/optim/sfo_python_overhead.py --sfo-ref DIR --sizes 100000x25
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import contextlib
import io
import json
import sys
import time
import warnings

import numpy as np


class Toy:
    """The toy sum of functions, with the CPU time spent in it."""

    def __init__(self, dim, subfunctions):
        self.refs = [(np.random.rand() * 3.0 + 1.5, np.random.randn(dim, 1))
                     for _ in range(subfunctions)]
        self.theta_init = np.random.randn(dim, 1)
        self.cpu = 0.0

    def f_df(self, x, ref):
        start = time.thread_time()
        half_power, center = ref[0] / 2.0, ref[1]
        r2 = (x - center) ** 2
        scale = 1.0 / x.size
        f = np.sum(r2 ** half_power) * scale
        df = half_power * r2 ** (half_power - 1.0) * 2.0 * (x - center) * scale
        self.cpu += time.thread_time() - start
        return f, df


def measure(sfo_class, dim, subfunctions):
    np.random.seed(0)
    toy = Toy(dim, subfunctions)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = sfo_class(toy.f_df, toy.theta_init, toy.refs, display=0)
        opt.optimize(num_passes=2)
        wall0, evals0, cpu_f0 = opt.time_pass - opt.time_func, opt.eval_count_total, toy.cpu
        cpu0 = time.thread_time()
        opt.optimize(num_passes=2)
        cpu = time.thread_time() - cpu0 - (toy.cpu - cpu_f0)
        wall = opt.time_pass - opt.time_func - wall0
        evals = opt.eval_count_total - evals0
    return {"M": dim, "N": subfunctions, "K_max": int(opt.K_max), "evaluations": int(evals),
            "wall_ms_per_eval": round(1e3 * wall / evals, 4),
            "cpu_ms_per_eval": round(1e3 * cpu / evals, 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sfo-ref", required=True, help="folder holding the authors' sfo.py")
    ap.add_argument("--sizes", default="1000x25,1000x100,10000x25,10000x100,100000x25",
                    help="comma-separated MxN")
    ap.add_argument("--repetitions", type=int, default=3)
    a = ap.parse_args()
    sys.path.insert(0, a.sfo_ref)
    from sfo import SFO  # the authors' optimizer, unmodified
    for size in a.sizes.split(","):
        dim, subfunctions = (int(v) for v in size.split("x"))
        for repetition in range(a.repetitions):
            row = measure(SFO, dim, subfunctions)
            row["repetition"] = repetition
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()

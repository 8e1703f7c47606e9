#!/usr/bin/python3
"""An Adam step on N float32 parameters from Python: descent.optim.Adam beside
torch.optim.Adam and beside the same step called from C++, in one run on the
same thread count; and whether the Python side copies or holds the GIL.

For each thread count T (descent.set_num_threads(T), torch.set_num_threads(T)):
  python  descent.optim.Adam().step(w, dw) on NumPy arrays, check_finite off
          (the C++ step's work) and on (one more read of dw)
  torch   torch.optim.Adam([w]).step(), foreach off and on, the faster kept
  c++     optimizer_step --optimizers=adam (bench/optim), when its path is given
Each Python case: one untimed step, then at least --min-steps steps and
--min-seconds seconds, each timed on its own; the median and the best step.

Then, at the largest thread count, 1,000 steps of descent.optim.Adam:
  rss_growth_mb   the process's resident memory after minus before (a copy of
                  w or dw per step would grow it, or churn it, by 40 MB)
  other_thread    how far a second Python thread, counting in a loop, gets
                  during the steps, as a share of its rate while the main thread
                  sleeps: near 1 (with a core to spare) if the step releases
                  the GIL; about the switch interval's share (5 ms in a step's
                  time, under 1/2) if it does not.

Prints one JSON line per measure and a table of ratios:
  torch / python   the goal is >= 3 (descent three times as fast as torch)
  python / c++     the goal is <= 1.10 (Python adds under 10%)

usage: bench/python/adam_step.py [--size N] [--threads 1,2] [--cpp PATH]
Run with descent importable: PYTHONPATH=build/python, or in the virtual
environment that pip installed it into.
"""

import argparse
import json
import os
import statistics
import subprocess
import threading
import time

import numpy as np

import descent
from descent import optim


def timed_steps(step, min_steps, min_seconds):
    step()  # makes the state
    times = []
    started = time.perf_counter()
    while len(times) < min_steps or time.perf_counter() - started < min_seconds:
        before = time.perf_counter()
        step()
        times.append(time.perf_counter() - before)
    return {"median_ms": 1e3 * statistics.median(times), "best_ms": 1e3 * min(times),
            "steps": len(times)}


def problem(size, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(size, dtype=np.float32)
    dw = rng.uniform(-1, 1, size).astype(np.float32)
    return w, dw


def descent_case(size, check_finite, args):
    w, dw = problem(size)
    opt = optim.Adam(lr=1e-3)
    return timed_steps(lambda: opt.step(w, dw, check_finite=check_finite), args.min_steps,
                       args.min_seconds)


def torch_case(size, threads, args):
    import torch

    torch.set_num_threads(threads)
    best = None
    for foreach in (False, True):
        w, dw = problem(size)
        param = torch.from_numpy(w).requires_grad_()
        param.grad = torch.from_numpy(dw)
        opt = torch.optim.Adam([param], lr=1e-3, foreach=foreach)
        result = timed_steps(opt.step, args.min_steps, args.min_seconds)
        result["foreach"] = foreach
        if best is None or result["median_ms"] < best["median_ms"]:
            best = result
    return best


def cpp_case(path, size, threads):
    out = subprocess.run(
        [path, f"--sizes={size}", f"--threads={threads}", "--optimizers=adam",
         "--benchmark_filter=adam", "--benchmark_format=json", "--benchmark_repetitions=3"],
        check=True, capture_output=True, text=True).stdout
    runs = [run for run in json.loads(out)["benchmarks"]
            if run.get("run_type") == "iteration" and "median_ms" in run]
    if not runs:
        raise SystemExit(f"adam_step: {path} reported no adam case")
    return {"median_ms": statistics.median(run["median_ms"] for run in runs),
            "best_ms": min(run["best_ms"] for run in runs)}


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def counting_thread(work):
    """Turns per second of a second thread counting in a loop while work() runs."""
    stop = threading.Event()
    rate = []

    def count():
        turns = 0
        started = time.perf_counter()
        while not stop.is_set():
            turns += 1
        rate.append(turns / (time.perf_counter() - started))

    counter = threading.Thread(target=count)
    counter.start()
    work()
    stop.set()
    counter.join()
    return rate[0]


def memory_and_gil(size, steps):
    w, dw = problem(size)
    opt = optim.Adam(lr=1e-3)
    opt.step(w, dw)
    alone = counting_thread(lambda: time.sleep(1.0))
    before = rss_mb()

    def steps_of_adam():
        for _ in range(steps):
            opt.step(w, dw, check_finite=False)

    during = counting_thread(steps_of_adam)
    return {"steps": steps, "rss_before_mb": before, "rss_growth_mb": rss_mb() - before,
            "other_thread": during / alone}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--cpp", default="build/bench/optim/optimizer_step",
                        help="optimizer_step's path ('' to skip the C++ case)")
    parser.add_argument("--min-steps", type=int, default=20)
    parser.add_argument("--min-seconds", type=float, default=1.0)
    parser.add_argument("--memory-steps", type=int, default=1000)
    args = parser.parse_args()

    rows = []
    for threads in [int(t) for t in args.threads.split(",")]:
        descent.set_num_threads(threads)
        row = {"size": args.size, "threads": threads,
               "python": descent_case(args.size, False, args),
               "python_checked": descent_case(args.size, True, args),
               "torch": torch_case(args.size, threads, args)}
        if args.cpp and os.path.exists(args.cpp):
            row["cpp"] = cpp_case(args.cpp, args.size, threads)
        print(json.dumps(row), flush=True)
        rows.append(row)
    memory = memory_and_gil(args.size, args.memory_steps)
    print(json.dumps({"memory_and_gil": memory}), flush=True)

    print(f"\nAdam step on {args.size} float32, median ms (best)")
    print(f"{'threads':>7} {'python':>14} {'checked':>14} {'torch':>14} {'c++':>14} "
          f"{'torch/python':>12} {'python/c++':>10}")
    for row in rows:
        def cell(case):
            return f"{case['median_ms']:6.2f} ({case['best_ms']:5.2f})" if case else "-"
        cpp = row.get("cpp")
        over_cpp = f"{row['python']['median_ms'] / cpp['median_ms']:10.2f}" if cpp else "-"
        print(f"{row['threads']:>7} {cell(row['python']):>14} {cell(row['python_checked']):>14} "
              f"{cell(row['torch']):>14} {cell(cpp):>14} "
              f"{row['torch']['median_ms'] / row['python']['median_ms']:12.2f} {over_cpp:>10}")
    print(f"\n{memory['steps']} steps: RSS {memory['rss_before_mb']:.0f} MB, grew "
          f"{memory['rss_growth_mb']:+.1f} MB; a second thread ran at "
          f"{100 * memory['other_thread']:.0f}% of its rate alone")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""torch.optim's step speed, measured as optimizer_step measures descent's.

For each optimizer, size and thread count: one parameter tensor of N float32
values with a fixed random gradient, one untimed step (which makes the state),
then optimizer.step() timed step by step (at least --min-steps steps and
--min-seconds seconds, at most --max-steps); the median step and the best are
kept. GB/s counts the bytes of the optimizer's buffers read and written once
per step, the same table as optimizer_step.cpp's header (4 bytes per float
buffer), over the median step:

  descent name  torch.optim                      bytes per parameter
  sgd           SGD                              12  (w, dw read; w written)
  momentum      SGD(momentum=0.9)                20  (+ the momentum buffer)
  nesterov      SGD(momentum=0.9, nesterov=True) 20
  adagrad       Adagrad                          20  (+ the sum of squares)
  rmsprop       RMSprop                          20  (+ the square average)
  adadelta      Adadelta                         28  (+ two running averages)
  adam          Adam                             28  (+ m and v)
  adamw         AdamW                            28
  amsgrad       Adam(amsgrad=True)               36  (+ m, v and v_max)
  adamax        Adamax                           28  (+ m and u)
  nadam         NAdam                            28
  radam         RAdam                            28
descent's lion has no torch.optim counterpart in 1.13. The learning rates are
descent's defaults; the other hyperparameters, torch's (they do not change
the work done, only the values).

torch 1.13 runs a single tensor through its for-loop implementation unless
foreach=True is asked for. Each case is timed both ways (--foreach both, the
default) and the faster is reported, with both times. A way whose parameters
are no longer finite after its steps is left out (and named in "nonfinite").
The gradient is uniform in [-1, 1) with its exact zeros moved to 1: torch
1.13's foreach RAdam turns a zero gradient at step 1 into NaN.

Threads: torch.set_num_threads(T) (torch's elementwise kernels run on its
OpenMP pool).

Prints one JSON line per case: optimizer (descent's name), torch (the
constructor), size, threads, ms_per_step (median), best_ms_per_step, gb_per_s
(of the median), foreach (the way reported), ms_per_step_for_loop and
ms_per_step_foreach (medians; null if not timed or not finite), nonfinite,
torch_version. ms_per_step is null if no way stayed finite.
"""

import argparse
import gc
import json
import statistics
import sys
import time

import torch

# descent name: (bytes per parameter, torch constructor as text, constructor)
CASES = {
    "sgd": (12, "SGD", lambda p, fe: torch.optim.SGD([p], lr=5e-3, foreach=fe)),
    "momentum": (20, "SGD(momentum=0.9)",
                 lambda p, fe: torch.optim.SGD([p], lr=5e-3, momentum=0.9, foreach=fe)),
    "nesterov": (20, "SGD(momentum=0.9, nesterov=True)",
                 lambda p, fe: torch.optim.SGD([p], lr=5e-3, momentum=0.9, nesterov=True,
                                               foreach=fe)),
    "adagrad": (20, "Adagrad", lambda p, fe: torch.optim.Adagrad([p], lr=1e-2, foreach=fe)),
    "rmsprop": (20, "RMSprop", lambda p, fe: torch.optim.RMSprop([p], lr=1e-4, foreach=fe)),
    "adadelta": (28, "Adadelta", lambda p, fe: torch.optim.Adadelta([p], lr=1.0, foreach=fe)),
    "adam": (28, "Adam", lambda p, fe: torch.optim.Adam([p], lr=1e-3, foreach=fe)),
    "adamw": (28, "AdamW", lambda p, fe: torch.optim.AdamW([p], lr=1e-3, foreach=fe)),
    "amsgrad": (36, "Adam(amsgrad=True)",
                lambda p, fe: torch.optim.Adam([p], lr=1e-3, amsgrad=True, foreach=fe)),
    "adamax": (28, "Adamax", lambda p, fe: torch.optim.Adamax([p], lr=2e-3, foreach=fe)),
    "nadam": (28, "NAdam", lambda p, fe: torch.optim.NAdam([p], lr=2e-3, foreach=fe)),
    "radam": (28, "RAdam", lambda p, fe: torch.optim.RAdam([p], lr=1e-3, foreach=fe)),
}


def positive_ints(text):
    values = [int(part) for part in text.split(",")]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got '{text}'")
    return values


def time_steps(optimizer, args):
    """Seconds of each timed optimizer.step(), after one untimed step."""
    optimizer.step()
    times = []
    began = time.perf_counter()
    while len(times) < args.max_steps and (
            len(times) < args.min_steps or time.perf_counter() - began < args.min_seconds):
        start = time.perf_counter()
        optimizer.step()
        times.append(time.perf_counter() - start)
    return times


def measure(name, size, threads, args):
    """Step times for each foreach setting asked for, and those not finite."""
    _, _, make = CASES[name]
    times, nonfinite = {}, []
    for foreach in {"both": (False, True), "off": (False,), "on": (True,)}[args.foreach]:
        generator = torch.Generator().manual_seed(2024)
        param = torch.nn.Parameter(torch.rand(size, generator=generator) * 0.2 - 0.1)
        grad = torch.rand(size, generator=generator) * 2 - 1
        param.grad = grad.masked_fill_(grad == 0, 1.0)
        optimizer = make(param, foreach)
        steps = time_steps(optimizer, args)
        if torch.isfinite(param).all():
            times[foreach] = steps
        else:
            nonfinite.append(foreach)
            print(f"torch_optim_speed.py: {name} (foreach={foreach}, {size}, {threads} "
                  "threads): the parameters are no longer finite", file=sys.stderr)
        del optimizer, param, grad
        gc.collect()
    return times, nonfinite


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=positive_ints, default=[1_000_000, 10_000_000, 50_000_000],
                        help="parameter counts, comma-separated (default 1000000,10000000,50000000)")
    parser.add_argument("--threads", type=positive_ints, default=[1, 2],
                        help="thread counts, comma-separated (default 1,2)")
    parser.add_argument("--optimizers", default=",".join(CASES),
                        help="descent names, comma-separated (default: all with a torch counterpart)")
    parser.add_argument("--foreach", choices=("both", "off", "on"), default="both",
                        help="time foreach=False, foreach=True or both and keep the faster "
                             "(default both)")
    parser.add_argument("--min-steps", type=int, default=3)
    parser.add_argument("--max-steps", type=int, default=50)
    parser.add_argument("--min-seconds", type=float, default=0.5)
    args = parser.parse_args()
    names = args.optimizers.split(",")
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"--optimizers: no torch counterpart for {', '.join(unknown)}; "
                     f"known: {', '.join(CASES)}")
    if not 1 <= args.min_steps <= args.max_steps:
        parser.error("need 1 <= --min-steps <= --max-steps")

    for size in args.sizes:
        for threads in args.threads:
            torch.set_num_threads(threads)
            for name in names:
                bytes_per_param, constructor, _ = CASES[name]
                times, nonfinite = measure(name, size, threads, args)
                medians = {way: statistics.median(steps) for way, steps in times.items()}
                foreach = min(medians, key=medians.get) if medians else None
                ms = medians[foreach] * 1e3 if medians else None
                print(json.dumps({
                    "optimizer": name,
                    "torch": constructor,
                    "size": size,
                    "threads": threads,
                    "ms_per_step": ms,
                    "best_ms_per_step": min(times[foreach]) * 1e3 if medians else None,
                    "gb_per_s": bytes_per_param * size / ms / 1e6 if medians else None,
                    "foreach": foreach,
                    "ms_per_step_for_loop": medians[False] * 1e3 if False in medians else None,
                    "ms_per_step_foreach": medians[True] * 1e3 if True in medians else None,
                    "nonfinite": nonfinite,
                    "torch_version": torch.__version__,
                }), flush=True)


if __name__ == "__main__":
    main()

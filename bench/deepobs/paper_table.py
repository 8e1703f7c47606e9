#!/usr/bin/python3
"""descent beside DeepOBS's published baselines on fmnist-2c2d, and beside
PyTorch on the same problem and seeds.

DeepOBS (Schneider, Balles and Hennig, ICLR 2019) publishes, for its test
problem fmnist_2c2d (batch 128), the test accuracy of SGD, momentum and Adam
at their tuned learning rates, mean of 10 seeds:

  optimizer  lr        test accuracy at epoch 10   at epoch 100
  sgd        0.158     0.902                       0.923
  momentum   0.00251   0.906                       0.921   (mu 0.99, lr outside the velocity)
  adam       2.5e-4    0.910                       0.923

For every optimizer and seed given this script trains
  descent   problem_train (bench/deepobs/problem_train.cpp: the problem table's
            fmnist-2c2d through descent's Trainer; momentum with
            --momentum-convention torch, DeepOBS's and PyTorch's), and
  PyTorch   bench/torch_train.py --network 2c2d --normalization none
            --validation-size 10000 on the same split of the same seed,
and prints the test accuracy after the last epoch (the parameters then, as
DeepOBS reports), its mean over the seeds beside the baseline, and the
seconds per epoch (training steps and the validation pass) of each.

  /usr/bin/python3 bench/deepobs/paper_table.py                     # 3 seeds, 10 epochs, all three
  /usr/bin/python3 bench/deepobs/paper_table.py --optimizers adam --seeds 0 --no-torch
  /usr/bin/python3 bench/deepobs/paper_table.py --epochs 1 --train-size 5000   # a quick check

Each run's JSON line is kept in --out (default bench-deepobs-runs/), and runs
whose file is there already are not run again, so an interrupted table
resumes. Once `descent train --problem` exists, problem_train is the same as
  descent train --problem fmnist-2c2d --optimizer momentum --lr 0.00251 \\
      --momentum 0.99 --momentum-convention torch --epochs 10 --seed S
but for the per-epoch test accuracy, which descent train does not report.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# name: (learning rate, momentum, DeepOBS's test accuracy at epoch 10, at epoch 100)
SETTINGS = {
    "sgd": (0.158, None, 0.902, 0.923),
    "momentum": (0.00251, 0.99, 0.906, 0.921),
    "adam": (2.5e-4, None, 0.910, 0.923),
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--optimizers", default="sgd,momentum,adam")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--train-size", type=int, default=0, help="a training subset (quick checks)")
    p.add_argument("--data-dir", default="")
    p.add_argument("--build-dir", default="", help="default: build-bench, else build")
    p.add_argument("--out", default="bench-deepobs-runs")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--no-descent", action="store_true")
    args = p.parse_args()
    args.optimizers = [o for o in args.optimizers.split(",") if o]
    for o in args.optimizers:
        if o not in SETTINGS:
            p.error("--optimizers: unknown '%s', expected some of %s" % (o, ", ".join(SETTINGS)))
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    return args


def find_program(args):
    candidates = [args.build_dir] if args.build_dir else [ROOT / "build-bench", ROOT / "build"]
    for d in candidates:
        path = pathlib.Path(d) / "bench" / "deepobs" / "problem_train"
        if path.exists():
            return path
    sys.exit("paper_table.py: problem_train was not found; build it (bench/README.md) "
             "or pass --build-dir")


def run_once(command, out_file):
    """Runs `command` unless out_file exists; returns its JSON line."""
    if out_file.exists():
        return json.loads(out_file.read_text())
    print("==", " ".join(str(c) for c in command), file=sys.stderr, flush=True)
    result = subprocess.run([str(c) for c in command], stdout=subprocess.PIPE, check=False)
    if result.returncode != 0:
        sys.exit("paper_table.py: failed (exit %d): %s" % (result.returncode, command))
    line = result.stdout.decode().strip().splitlines()[-1]
    out_file.write_text(line + "\n")
    return json.loads(line)


def descent_run(args, program, optimizer, seed):
    lr, momentum, _, _ = SETTINGS[optimizer]
    command = [program, "--problem", "fmnist-2c2d", "--optimizer", optimizer, "--lr", lr,
               "--epochs", args.epochs, "--seed", seed, "--threads", args.threads]
    if momentum is not None:
        command += ["--momentum", momentum, "--momentum-convention", "torch"]
    if args.train_size:
        command += ["--train-size", args.train_size]
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    name = "descent-%s-seed%d-epochs%d-train%d.json" % (optimizer, seed, args.epochs,
                                                         args.train_size)
    run = run_once(command, pathlib.Path(args.out) / name)
    return run["final_test_acc"], run["seconds_per_epoch"]


def torch_run(args, optimizer, seed):
    lr, momentum, _, _ = SETTINGS[optimizer]
    command = [sys.executable, HERE.parent / "torch_train.py", "--network", "2c2d",
               "--normalization", "none", "--validation-size", 10000, "--batch-size", 128,
               "--optimizer", optimizer, "--lr", lr, "--epochs", args.epochs, "--seed", seed,
               "--threads", args.threads, "--quiet"]
    if momentum is not None:
        command += ["--momentum", momentum]
    if args.train_size:
        command += ["--train-size", args.train_size]
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    name = "torch-%s-seed%d-epochs%d-train%d.json" % (optimizer, seed, args.epochs, args.train_size)
    run = run_once(command, pathlib.Path(args.out) / name)
    return run["final_test_acc"], run["train_seconds"] / args.epochs


def summary(values):
    if not values:
        return "-"
    accs = [a for a, _ in values]
    mean = statistics.mean(accs)
    return "%.4f (%s)" % (mean, ", ".join("%.4f" % a for a in accs))


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    program = None if args.no_descent else find_program(args)
    rows = []
    for optimizer in args.optimizers:
        d, t = [], []
        for seed in args.seeds:
            if program:
                d.append(descent_run(args, program, optimizer, seed))
            if not args.no_torch:
                t.append(torch_run(args, optimizer, seed))
        rows.append((optimizer, d, t))

    print("fmnist-2c2d, batch 128, %d epoch(s)%s, seeds %s, %d thread(s): test accuracy "
          "after the last epoch, mean (per seed)"
          % (args.epochs, ", %d training samples" % args.train_size if args.train_size else "",
             ",".join(map(str, args.seeds)), args.threads))
    header = "%-9s %-8s %-9s %-34s %-34s %8s %8s" % (
        "optimizer", "lr", "DeepOBS", "descent", "pytorch", "s/ep d", "s/ep t")
    print(header)
    for optimizer, d, t in rows:
        lr, _, at10, at100 = SETTINGS[optimizer]
        baseline = at10 if args.epochs == 10 else at100 if args.epochs == 100 else float("nan")
        per_epoch = lambda runs: "%8.1f" % statistics.mean(s for _, s in runs) if runs else "%8s" % "-"
        print("%-9s %-8g %-9.3f %-34s %-34s %s %s" % (optimizer, lr, baseline, summary(d), summary(t),
                                                    per_epoch(d), per_epoch(t)))
        if d and args.epochs in (10, 100):
            print("%-9s descent - DeepOBS: %+.2f points" % (
                "", 100 * (statistics.mean(a for a, _ in d) - baseline)))


if __name__ == "__main__":
    main()

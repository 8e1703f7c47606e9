#!/usr/bin/python3
"""descent beside DeepOBS's published baselines on fmnist-2c2d and
quadratic-deep, and beside PyTorch on fmnist-2c2d's problem and seeds.

DeepOBS (Schneider, Balles and Hennig, ICLR 2019) publishes its baselines as
the runs themselves (the DeepOBS_Baselines repository: one JSON file per run,
10 seeds, 42 to 51, at each optimizer's tuned learning rate, with the test
metric after every epoch). Their means over the 10 seeds, and standard
deviations, at epochs 10 and 100:

  fmnist_2c2d, batch 128, test accuracy
  optimizer  lr        epoch 10        epoch 100
  sgd        0.158     0.9024 (0.0074)  0.9227 (0.0018)
  momentum   0.00251   0.9060 (0.0056)  0.9214 (0.0021)   (mu 0.99, lr outside the velocity)
  adam       2.5e-4    0.9099 (0.0036)  0.9234 (0.0029)

  quadratic_deep, batch 128, test loss
  sgd        0.0158    92.978 (0.169)   87.398 (0.169)
  momentum   0.00251   134.261 (0.389)  87.045 (0.025)
  adam       0.0398    94.730 (0.092)   87.112 (0.024)

(The paper's table rounds the first to 0.902, 0.906, 0.910 and 0.923, 0.921,
0.923.) DeepOBS's TensorFlow runner evaluates whole batches only: the test
loss of quadratic_deep is the mean over the first 896 of its 1,000 test
samples (its loss before the first step, 353.4468, is that mean exactly), and
this script passes descent the same (--test-size 896).

Those runs also saw the same order of minibatches in every epoch: their
spread over seeds and their means are those of one permutation per seed
repeated each epoch, not of a fresh permutation each epoch (momentum at
epoch 100: 87.045 +- 0.025, where descent with a fresh order each epoch
gives 88.631 +- 0.551; docs/problems.md, quadratic_order.py). --shuffle-once trains descent that way
(descent's --shuffle-once); without it, descent reshuffles every epoch, as
DeepOBS's PyTorch version and descent's default do.

For every optimizer and seed given this script trains
  descent   problem_train (bench/deepobs/problem_train.cpp: the problem table's
            entry through descent's Trainer; momentum with
            --momentum-convention torch, DeepOBS's and PyTorch's), and, on
            fmnist-2c2d,
  PyTorch   bench/torch_train.py --network 2c2d --normalization none
            --validation-size 10000 on the same split of the same seed,
and prints the test metric after the last epoch (the parameters then, as
DeepOBS reports), its mean and standard deviation over the seeds beside the
baseline's, and the seconds per epoch (training steps and the validation
pass) of each.

  /usr/bin/python3 bench/deepobs/paper_table.py                     # fmnist-2c2d: 3 seeds, 10 epochs
  /usr/bin/python3 bench/deepobs/paper_table.py --optimizers adam --seeds 0 --no-torch
  /usr/bin/python3 bench/deepobs/paper_table.py --problem quadratic-deep   # 10 seeds, 100 epochs, seconds
  /usr/bin/python3 bench/deepobs/paper_table.py --problem quadratic-deep --shuffle-once
  /usr/bin/python3 bench/deepobs/paper_table.py --epochs 1 --train-size 5000   # a quick check

Each run's JSON line is kept in --out (default bench-deepobs-runs/), and runs
whose file is there already are not run again, so an interrupted table
resumes. problem_train is the same as
  descent train --problem fmnist-2c2d --optimizer momentum --lr 0.00251 \\
      --momentum 0.99 --momentum-convention torch --epochs 10 --seed S
but for the per-epoch test metric, which descent train does not report.
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

# Per problem: the metric, the defaults, and per optimizer (learning rate,
# momentum, {epoch: (DeepOBS's mean over 10 seeds, their standard deviation)}).
PROBLEMS = {
    "fmnist-2c2d": {
        "metric": "test_acc",
        "label": "test accuracy",
        "epochs": 10,
        "seeds": "0,1,2",
        "test_size": 0,
        "torch": True,
        "settings": {
            "sgd": (0.158, None, {10: (0.9024, 0.0074), 100: (0.9227, 0.0018)}),
            "momentum": (0.00251, 0.99, {10: (0.9060, 0.0056), 100: (0.9214, 0.0021)}),
            "adam": (2.5e-4, None, {10: (0.9099, 0.0036), 100: (0.9234, 0.0029)}),
        },
    },
    "quadratic-deep": {
        "metric": "test_loss",
        "label": "test loss",
        "epochs": 100,
        "seeds": "0,1,2,3,4,5,6,7,8,9",
        "test_size": 896,
        "torch": False,
        "settings": {
            "sgd": (0.0158, None, {10: (92.978, 0.169), 100: (87.398, 0.169)}),
            "momentum": (0.00251, 0.99, {10: (134.261, 0.389), 100: (87.045, 0.025)}),
            "adam": (0.0398, None, {10: (94.730, 0.092), 100: (87.112, 0.024)}),
        },
    },
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--problem", default="fmnist-2c2d", choices=sorted(PROBLEMS))
    p.add_argument("--optimizers", default="sgd,momentum,adam")
    p.add_argument("--seeds", default="", help="default: fmnist-2c2d 0,1,2; quadratic-deep 0 to 9")
    p.add_argument("--epochs", type=int, default=0, help="default: 10; quadratic-deep 100")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--train-size", type=int, default=0, help="a training subset (quick checks)")
    p.add_argument("--data-dir", default="")
    p.add_argument("--build-dir", default="", help="default: build-bench, else build")
    p.add_argument("--out", default="bench-deepobs-runs")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--no-descent", action="store_true")
    p.add_argument("--shuffle-once", action="store_true",
                   help="descent visits the first epoch's order in every epoch")
    args = p.parse_args()
    problem = PROBLEMS[args.problem]
    args.optimizers = [o for o in args.optimizers.split(",") if o]
    for o in args.optimizers:
        if o not in problem["settings"]:
            p.error("--optimizers: unknown '%s', expected some of %s"
                    % (o, ", ".join(problem["settings"])))
    try:
        args.seeds = [int(s) for s in (args.seeds or problem["seeds"]).split(",") if s]
    except ValueError:
        p.error("--seeds: expected comma-separated integers, got '%s'" % args.seeds)
    args.epochs = args.epochs or problem["epochs"]
    if args.shuffle_once:
        args.no_torch = True
    if not problem["torch"]:
        if args.no_descent:
            p.error("--no-descent: %s has no PyTorch counterpart here" % args.problem)
        args.no_torch = True
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


def run_file(args, framework, optimizer, seed):
    prefix = "" if args.problem == "fmnist-2c2d" else args.problem + "-"
    suffix = "-once" if args.shuffle_once else ""
    return pathlib.Path(args.out) / ("%s-%s%s-seed%d-epochs%d-train%d%s.json" % (
        framework, prefix, optimizer, seed, args.epochs, args.train_size, suffix))


def data_flags(args):
    """The flags both programs take alike: the training subset and the data folder."""
    flags = ["--train-size", args.train_size] if args.train_size else []
    return flags + (["--data-dir", args.data_dir] if args.data_dir else [])


def descent_run(args, program, optimizer, seed):
    problem = PROBLEMS[args.problem]
    lr, momentum, _ = problem["settings"][optimizer]
    command = [program, "--problem", args.problem, "--optimizer", optimizer, "--lr", lr,
               "--epochs", args.epochs, "--seed", seed, "--threads", args.threads]
    if momentum is not None:
        command += ["--momentum", momentum, "--momentum-convention", "torch"]
    command += data_flags(args)
    if problem["test_size"]:
        command += ["--test-size", problem["test_size"]]
    if args.shuffle_once:
        command += ["--shuffle-once"]
    run = run_once(command, run_file(args, "descent", optimizer, seed))
    return run["epochs"][-1][problem["metric"]], run["seconds_per_epoch"]


def torch_run(args, optimizer, seed):
    lr, momentum, _ = PROBLEMS[args.problem]["settings"][optimizer]
    command = [sys.executable, HERE.parent / "torch_train.py", "--network", "2c2d",
               "--normalization", "none", "--validation-size", 10000, "--batch-size", 128,
               "--optimizer", optimizer, "--lr", lr, "--epochs", args.epochs, "--seed", seed,
               "--threads", args.threads, "--quiet"]
    if momentum is not None:
        command += ["--momentum", momentum]
    command += data_flags(args)
    run = run_once(command, run_file(args, "torch", optimizer, seed))
    return run["final_test_acc"], run["train_seconds"] / args.epochs


def summary(values, digits):
    """'mean +- sd (per seed)' of the runs' metrics."""
    if not values:
        return "-"
    metrics = [m for m, _ in values]
    spread = " +- %.*f" % (digits, statistics.stdev(metrics)) if len(metrics) > 1 else ""
    return "%.*f%s (%s)" % (digits, statistics.mean(metrics), spread,
                            ", ".join("%.*f" % (digits, m) for m in metrics))


def main():
    args = parse_args()
    problem = PROBLEMS[args.problem]
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

    digits = 4 if problem["metric"] == "test_acc" else 3
    print("%s, batch 128, %d epoch(s)%s%s, seeds %s, %d thread(s): %s after the last epoch, "
          "mean +- sd (per seed); seconds per epoch"
          % (args.problem, args.epochs,
             ", %d training samples" % args.train_size if args.train_size else "",
             ", descent shuffled once" if args.shuffle_once else "",
             ",".join(map(str, args.seeds)), args.threads, problem["label"]))
    frameworks = [name for name, off in (("descent", args.no_descent), ("pytorch", args.no_torch))
                  if not off]
    width = 14 + (digits + 2) * (len(args.seeds) + 2)
    print("%-9s %-8s %-18s" % ("optimizer", "lr", "DeepOBS (10 seeds)")
          + "".join(" %-*s %8s" % (width, name, "s/epoch") for name in frameworks))
    scale, unit = (100, " points") if problem["metric"] == "test_acc" else (1, "")
    for optimizer, d, t in rows:
        lr, _, baselines = problem["settings"][optimizer]
        baseline = baselines.get(args.epochs)
        published = ("%.*f +- %.*f" % (digits, baseline[0], digits, baseline[1])
                     if baseline else "-")
        runs_of = {"descent": d, "pytorch": t}
        line = "%-9s %-8g %-18s" % (optimizer, lr, published)
        for name in frameworks:
            runs = runs_of[name]
            seconds = statistics.mean(s for _, s in runs)
            line += " %-*s %8s" % (width, summary(runs, digits),
                                   "%.1f" % seconds if seconds >= 1 else "%.4f" % seconds)
        print(line)
        for name in frameworks:
            if baseline:
                mean = statistics.mean(m for m, _ in runs_of[name])
                print("%-9s %s - DeepOBS: %+.2f%s" % ("", name, scale * (mean - baseline[0]), unit))

if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The grids of `descent compare`, trained with torch.optim: the same network,
initialization, data, batch size, epochs and per-epoch evaluation as descent
(bench/torch_train.py trains each run), several runs at a time in separate
processes of one thread each, and the same summary.json.

Grids:
  tuned  each of the notes' six optimizers at its tuned learning rate (sgd,
         momentum and nesterov 5e-3, adagrad 1e-2, rmsprop 1e-4, adam 1e-3),
         as `descent compare --optimizers sgd:5e-3,...`
  notes  `descent compare`'s default experiment, the notes' comparisons:
         sgd-vs-momentum, tuned, same-lr (all at 1e-3), lr-sweep, and decay
         (each optimizer's best sweep rate, by final validation accuracy
         averaged over seeds, with step, exponential and 1/t decay per epoch),
         too-large (ten times the top of each sweep)
  quick  `descent compare --quick`: notes on a 10,000-sample training subset
         with the sweep cut to [1e-4, 1e-3, 1e-2] (rmsprop [1e-5, 1e-4, 1e-3])
--optimizers NAME:LR,... runs that one group instead, as descent's flag does.

As in descent, every run trains on the same train/validation split (drawn
with --data-seed, default 0, as descent's with its base seed 0) and the run's seed sets its
init, shuffling and training-accuracy subset; a run that several groups
share is trained once; a run stops as diverged once its smoothed loss
exceeds 3 times the first (descent compare's setting); and the decay group
starts when the whole sweep has ended. The schedules are torch's own, stepped once per epoch: StepLR
(step_size 2, gamma 0.5), ExponentialLR (gamma 0.7) and LambdaLR with
1 / (1 + 0.5 t). Momentum and Nesterov follow torch's convention (the
learning rate outside the buffer); descent's default, the notes' (inside the
velocity), gives the same steps at a constant rate and differs under decay.

Writes into --out: summary.json (docs/compare-folder.md; `hyperparameters` is
empty, every run taking descent's defaults), experiment.json (the groups and
their runs) and timing.json (the total wall time); prints the total wall time.
"""

import argparse
import concurrent.futures
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import torch_train  # noqa: E402  (bench/, found through the path above)

NOTES_OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
TUNED_LR = {"sgd": 5e-3, "momentum": 5e-3, "nesterov": 5e-3, "adagrad": 1e-2,
            "rmsprop": 1e-4, "adam": 1e-3}
SWEEP_LRS = {"notes": [1e-4, 5e-4, 1e-3, 5e-3, 1e-2], "quick": [1e-4, 1e-3, 1e-2]}
RMSPROP_SWEEP_LRS = {"notes": [1e-5, 5e-5, 1e-4, 5e-4], "quick": [1e-5, 1e-4, 1e-3]}
QUICK_TRAIN_SIZE = 10000
DIVERGE_FACTOR = 3  # descent compare's default --diverge-factor
SCHEDULES = ["constant", "step", "exponential", "inverse-time"]


def schedulers():
    """Schedule name -> a function making its torch scheduler for an optimizer
    (None: constant). t counts epochs, from 0."""
    lr_scheduler = torch_train.torch.optim.lr_scheduler
    return {
        "constant": None,
        "step": lambda opt: lr_scheduler.StepLR(opt, step_size=2, gamma=0.5),
        "exponential": lambda opt: lr_scheduler.ExponentialLR(opt, gamma=0.7),
        "inverse-time": lambda opt: lr_scheduler.LambdaLR(opt, lambda t: 1 / (1 + 0.5 * t)),
    }


def shortest(x):
    """A number as descent writes it in run names (std::to_chars' shortest
    form): the shorter of fixed and scientific notation, fixed on a tie, with
    the fewest digits that read back as the same double: 0.005, 1e-04, 5e-05."""
    def fewest(fmt, limit):
        return next(s for s in (fmt % (p, x) for p in range(limit)) if float(s) == x)
    fixed = fewest("%.*f", 400)
    scientific = fewest("%.*e", 18)
    return fixed if len(fixed) <= len(scientific) else scientific


def run_id(optimizer, lr, schedule, seed):
    return "%s-lr%s-%s-s%d" % (optimizer, shortest(lr), schedule, seed)


def group(name, title, kind, optimizers, lrs=None, schedules=("constant",), best_lr_from=None):
    """A group as descent's GroupSpec: optimizers run at lrs[optimizer] (a
    list), or at the best rate found in the group best_lr_from."""
    return {"name": name, "title": title, "kind": kind, "optimizers": list(optimizers),
            "lrs": lrs, "schedules": list(schedules), "best_lr_from": best_lr_from}


def make_groups(args):
    if args.optimizers:
        lrs = {}
        for item in args.optimizers.split(","):
            name, _, lr = item.partition(":")
            lrs.setdefault(name, []).append(float(lr) if lr else torch_train.DEFAULT_LR[name])
        kind = ("lr-sweep" if max(map(len, lrs.values())) > 1
                else "decay" if len(args.schedules) > 1 else "curves")
        return [group("grid", "Optimizers x learning rates x schedules", kind, lrs, lrs,
                      args.schedules)]
    if args.grid == "tuned":
        return [group("tuned", "Each optimizer at its tuned learning rate", "curves",
                      NOTES_OPTIMIZERS, {o: [TUNED_LR[o]] for o in NOTES_OPTIMIZERS})]
    sweep = {o: RMSPROP_SWEEP_LRS[args.grid] if o == "rmsprop" else SWEEP_LRS[args.grid]
             for o in NOTES_OPTIMIZERS}
    return [
        group("sgd-vs-momentum", "SGD against SGD with momentum, lr 5e-3", "curves",
              ["sgd", "momentum"], {"sgd": [5e-3], "momentum": [5e-3]}),
        group("tuned", "Each optimizer at its tuned learning rate", "curves",
              NOTES_OPTIMIZERS, {o: [TUNED_LR[o]] for o in NOTES_OPTIMIZERS}),
        group("same-lr", "Every optimizer at lr 1e-3", "curves",
              NOTES_OPTIMIZERS, {o: [1e-3] for o in NOTES_OPTIMIZERS}),
        group("lr-sweep", "Learning-rate sweep", "lr-sweep", NOTES_OPTIMIZERS, sweep),
        group("decay", "The best learning rate of each optimizer, with and without decay",
              "decay", NOTES_OPTIMIZERS, schedules=SCHEDULES, best_lr_from="lr-sweep"),
        group("too-large", "Learning rates ten times the top of the sweep", "curves",
              NOTES_OPTIMIZERS, {o: [10 * sweep[o][-1]] for o in NOTES_OPTIMIZERS}),
    ]


def expand(group_spec, seeds, best_lrs=None):
    """The runs of a group, as (id, optimizer, lr, schedule, seed); with
    best_lr_from, an optimizer without a best rate (all diverged) is left out."""
    runs = []
    for optimizer in group_spec["optimizers"]:
        if group_spec["best_lr_from"]:
            if optimizer not in best_lrs:
                continue
            lrs = [best_lrs[optimizer]]
        else:
            lrs = group_spec["lrs"][optimizer]
        for lr in lrs:
            for schedule in group_spec["schedules"]:
                for seed in seeds:
                    runs.append((run_id(optimizer, lr, schedule, seed), optimizer, lr,
                                 schedule, seed))
    return runs


def best_learning_rates(rows):
    """Each optimizer's learning rate with the highest final validation
    accuracy averaged over seeds, among those whose runs all finished; the
    smallest on a tie (descent's best_learning_rates)."""
    by_rate = {}
    for row in rows:
        by_rate.setdefault(row["optimizer"], {}).setdefault(row["lr"], []).append(row)
    best = {}
    for optimizer, rates in by_rate.items():
        best_accuracy = -1.0
        for lr in sorted(rates):
            if any(r["status"] != "finished" for r in rates[lr]):
                continue
            accuracy = statistics.mean(r["val_acc"] for r in rates[lr])
            if accuracy > best_accuracy:
                best_accuracy, best[optimizer] = accuracy, lr
    return best


# ---------------------------------------------------------------------------
# Worker processes, forked from the parent once it has made the splits, so the
# arrays are shared rather than copied.

SPLITS = None
EPOCHS = None


def train_run(spec):
    run, optimizer, lr, schedule, seed = spec
    args = torch_train.parse_args([
        "--optimizer", optimizer, "--lr", repr(lr), "--seed", str(seed),
        "--epochs", str(EPOCHS),
        "--diverge-factor", str(DIVERGE_FACTOR), "--threads", "1", "--quiet"])
    result = torch_train.train(args, SPLITS, schedulers()[schedule])
    return {"run": run, "optimizer": optimizer, "lr": lr, "schedule": schedule, "seed": seed,
            "hyperparameters": {}, "status": result["status"],
            "train_acc": result["train_acc"], "val_acc": result["val_acc"],
            "test_acc": result["test_acc"], "best_epoch": result["best_epoch"],
            "final_loss": result["final_loss"], "seconds": result["seconds"]}


def write_json_atomic(path, value):
    folder = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(temporary, path)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--grid", default="notes", choices=["tuned", "notes", "quick"])
    p.add_argument("--optimizers", default="",
                   help="NAME:LR,... (LR optional): run this one group instead of --grid")
    p.add_argument("--schedules", default="constant",
                   help="with --optimizers: schedules, comma-separated (%s)" % ", ".join(SCHEDULES))
    p.add_argument("--seeds", default="0", help="comma-separated")
    p.add_argument("--data-seed", type=int, default=0,
                   help="seed of the train/validation split and the training subset, "
                        "shared by every run (descent compare: 0, its base seed)")
    p.add_argument("--jobs", type=int, default=2, help="runs at a time, one thread each")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--train-size", type=int, default=None,
                   help="training samples (default: all; quick: %d)" % QUICK_TRAIN_SIZE)
    p.add_argument("--validation-size", type=int, default=5000)
    p.add_argument("--dataset", default="fashion-mnist",
                   choices=sorted(torch_train.DEFAULT_DATA_DIRS))
    p.add_argument("--data-dir", default="")
    p.add_argument("--out", default="", help="output folder (default: torch-compare-<grid>)")
    p.add_argument("--quiet", action="store_true", help="no line per run on stderr")
    args = p.parse_args(argv)
    try:
        args.seeds = [int(s) for s in args.seeds.split(",") if s]
    except ValueError:
        p.error("--seeds: expected comma-separated integers, got '%s'" % args.seeds)
    args.schedules = [s for s in args.schedules.split(",") if s]
    for schedule in args.schedules:
        if schedule not in SCHEDULES:
            p.error("--schedules: unknown '%s', expected one of: %s"
                    % (schedule, ", ".join(SCHEDULES)))
    for item in filter(None, args.optimizers.split(",")):
        name, _, lr = item.partition(":")
        if name not in torch_train.DEFAULT_LR:
            p.error("--optimizers: unknown '%s'" % name)
        try:
            float(lr or 0)
        except ValueError:
            p.error("--optimizers: '%s' is not a learning rate" % lr)
    if not args.seeds or args.jobs < 1 or args.epochs < 1:
        p.error("--seeds, --jobs and --epochs: expected at least one seed, 1 job, 1 epoch")
    if args.train_size is None:
        args.train_size = QUICK_TRAIN_SIZE if args.grid == "quick" and not args.optimizers else 0
    args.out = args.out or "torch-compare-" + ("grid" if args.optimizers else args.grid)
    return args


def main(argv):
    global SPLITS, EPOCHS
    start = time.perf_counter()
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    # One thread per process, set before torch loads (torch_train.import_numerics),
    # and inherited by the forked workers.
    torch_train.import_numerics(1)
    SPLITS = torch_train.make_splits(torch_train.read_dataset(args.dataset, args.data_dir),
                                     args.data_seed, args.validation_size, args.train_size,
                                     consume=True)
    EPOCHS = args.epochs

    groups = make_groups(args)
    specs = {}       # run id -> {run, optimizer, lr, schedule, seed}
    rows = {}        # run id -> its summary row, once ended
    order = []       # run ids in the order of experiment.json
    group_runs = {}  # group name -> its run ids

    def write_files():
        pending = {"status": "pending", "train_acc": None, "val_acc": None, "test_acc": None,
                   "best_epoch": 0, "final_loss": None, "seconds": None, "hyperparameters": {}}
        summary = [rows.get(run) or dict(pending, **specs[run]) for run in order]
        write_json_atomic(os.path.join(args.out, "summary.json"), summary)
        experiment = {"name": "torch-" + ("grid" if args.optimizers else args.grid),
                      "framework": "pytorch", "torch_version": torch_train.torch.__version__,
                      "epochs": args.epochs, "train_size": args.train_size,
                      "seeds": args.seeds, "jobs": args.jobs,
                      "groups": [{"name": g["name"], "title": g["title"], "kind": g["kind"],
                                  "runs": group_runs.get(g["name"], [])} for g in groups]}
        write_json_atomic(os.path.join(args.out, "experiment.json"), experiment)

    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs,
                                                mp_context=context) as pool:
        running = {}
        waiting = list(groups)
        total = 0

        def start_ready_groups():
            """Submits the runs of every group whose best_lr_from group has ended."""
            nonlocal total
            while waiting:
                g = waiting[0]
                best_lrs = None
                if g["best_lr_from"]:
                    source = group_runs[g["best_lr_from"]]
                    if any(run not in rows for run in source):
                        return
                    best_lrs = best_learning_rates([rows[run] for run in source])
                waiting.pop(0)
                group_runs[g["name"]] = []
                for spec in expand(g, args.seeds, best_lrs):
                    run = spec[0]
                    group_runs[g["name"]].append(run)
                    if run in specs:
                        continue
                    specs[run] = dict(zip(("run", "optimizer", "lr", "schedule", "seed"), spec))
                    order.append(run)
                    running[pool.submit(train_run, spec)] = run
                    total += 1

        start_ready_groups()
        write_files()
        while running:
            done, _ = concurrent.futures.wait(running,
                                              return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                run = running.pop(future)
                rows[run] = future.result()
                if not args.quiet:
                    row = rows[run]
                    print("[%d/%d] %-36s %-8s test %s  %.1f s" % (
                        len(rows), total, run, row["status"],
                        "%.2f%%" % (100 * row["test_acc"]) if row["test_acc"] is not None
                        else "-", row["seconds"]), file=sys.stderr)
            start_ready_groups()
            write_files()

    seconds = time.perf_counter() - start
    write_json_atomic(os.path.join(args.out, "timing.json"),
                      {"grid": "grid" if args.optimizers else args.grid, "runs": len(order),
                       "seeds": args.seeds, "jobs": args.jobs, "seconds": seconds})
    print("%d runs, %d at a time: %.1f s wall time; summary in %s"
          % (len(order), args.jobs, seconds, os.path.join(args.out, "summary.json")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

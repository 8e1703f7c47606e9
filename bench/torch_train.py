#!/usr/bin/python3
"""The PyTorch reference for descent: the same fully connected network, data,
preprocessing and training loop as `descent train`, in PyTorch.

What is the same as descent, by construction:
  data     Fashion-MNIST (or MNIST) IDX files, pixels / 255 in float32; the
           validation set is the head of a seeded permutation of the training
           file, drawn with descent's own generator (std::mt19937_64 and the
           Fisher-Yates shuffle of descent::Rng, reimplemented below), so the
           train/validation split -- and the --train-size subset -- are the same
           samples as descent's for the same --seed; the per-pixel mean of the
           training split (accumulated in double) is subtracted from all splits.
  network  {affine - [batch norm] - relu - [dropout]} x L-1 - affine, softmax
           cross-entropy, plus 0.5 * reg * sum(W^2) over the weight matrices;
           or, with --network 2c2d, descent's problem fmnist-2c2d (DeepOBS's
           conv net: conv 5x5x32 same, relu, max pool 2x2/2, conv 5x5x64 same,
           relu, max pool 2x2/2, dense 1024, relu, dense 10; kernels truncated
           normal with std 0.05 redrawn beyond 2 std, biases 0.05). TensorFlow's
           "same" is plain padding 2 here, and its pools on 28 and 14 pad nothing.
  init     he: W ~ N(0, 2 / fan_in), b = 0 (kaiming_normal_, fan_in, relu);
           xavier: W ~ N(0, 2 / (fan_in + fan_out)), b = 0;
           normal: W ~ N(0, weight_scale^2), b = 0;
           pytorch: nn.Linear's own default, W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  loop     minibatches from a fresh shuffle each epoch (the last one may be
           smaller); a run stops as diverged at the first non-finite loss or,
           with --diverge-factor f, once the smoothed loss exceeds f times the
           first (descent's test, with its average: beta 0.9, bias-corrected);
           after each epoch, training accuracy on a fixed subset of the
           training split (the same samples as descent's, drawn from the same
           seed stream) and validation accuracy; the test accuracy reported is
           that of the parameters of the best validation epoch.
What differs: the random numbers of init, shuffling and dropout (torch's
generator, seeded with --seed), and batch norm's running variance (torch keeps
the unbiased batch variance, cs231n the biased one).

Threads: torch.set_num_threads(T), and OPENBLAS_NUM_THREADS=T set before NumPy
and torch are imported, because Debian's torch does its matrix products in
OpenBLAS (pthreads build), whose thread count set_num_threads does not reach.

Modes:
  default       train and print one JSON line: test_acc (of the best
                validation epoch's parameters), final_test_acc (of the last
                epoch's), best_val_acc,
                best_epoch, train_acc and val_acc (of the last epoch),
                final_loss (of the last minibatch), seconds (whole run),
                train_seconds (training steps only), samples_per_second (of the
                training steps), peak_rss_mib.
  --throughput  time one epoch of training steps only (forward, backward,
                update, with the batch gathered from the data set as descent's
                trainer does, whole batches only, after --warmup untimed steps)
                and print one JSON line with samples_per_second.

Other scripts import it (bench/compare/torch_compare.py): read_dataset and
make_splits load the data once for many runs, and train() trains one run,
with an optional torch learning-rate scheduler, and returns its results.
"""

import argparse
import copy
import gzip
import json
import math
import os
import resource
import struct
import sys
import time

# Imported by import_numerics() once the thread count is in the environment:
# NumPy and torch share one OpenBLAS, which reads OPENBLAS_NUM_THREADS when it
# is loaded, by whichever of them comes first.
np = None
torch = None

DEFAULT_DATA_DIRS = {
    "fashion-mnist": "/usr/share/datasets/fashion-mnist",
    "mnist": "/usr/share/datasets/mnist",
}

# The learning rate each optimizer starts from when none is given: descent's
# defaults where it has the optimizer (the cs231n notes' comparison), torch's
# otherwise.
DEFAULT_LR = {
    "sgd": 5e-3,
    "momentum": 5e-3,
    "nesterov": 5e-3,
    "adagrad": 1e-2,
    "rmsprop": 1e-4,
    "adadelta": 1.0,
    "adam": 1e-3,
    "adamw": 1e-3,
    "amsgrad": 1e-3,
    "adamax": 2e-3,
    "nadam": 2e-3,
    "radam": 1e-3,
}
OPTIMIZER_ALIASES = {"sgd_momentum": "momentum"}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", default="fashion-mnist", choices=sorted(DEFAULT_DATA_DIRS))
    p.add_argument("--data-dir", default="", help="folder of the IDX files (default: Debian's)")
    p.add_argument("--validation-size", type=int, default=5000)
    p.add_argument("--train-size", type=int, default=0, help="0: all remaining samples")
    p.add_argument("--network", default="mlp", choices=["mlp", "2c2d"],
                   help="2c2d: DeepOBS's conv net (--hidden, --init, --batchnorm, --dropout unused)")
    p.add_argument("--normalization", default="subtract-mean", choices=["subtract-mean", "none"],
                   help="none: pixels / 255 as read (DeepOBS)")
    p.add_argument("--hidden", default="100,100,100,100,100", help="comma-separated sizes")
    p.add_argument("--init", default="he", choices=["he", "normal", "xavier", "pytorch"])
    p.add_argument("--weight-scale", type=float, default=5e-2, help="std for --init normal")
    p.add_argument("--reg", type=float, default=0.0, help="loss += 0.5 reg sum(W^2)")
    p.add_argument("--dropout", type=float, default=0.0, help="probability of dropping a unit")
    p.add_argument("--batchnorm", action="store_true")
    p.add_argument("--optimizer", default="sgd",
                   help="one of: " + ", ".join(sorted(DEFAULT_LR)) + " (sgd_momentum = momentum)")
    p.add_argument("--lr", type=float, default=None, help="default: per optimizer, as descent's")
    p.add_argument("--momentum", type=float, default=None,
                   help="momentum, nesterov: default 0.9; rmsprop: default 0")
    p.add_argument("--dampening", type=float, default=0.0, help="momentum, nesterov")
    p.add_argument("--decay-rate", type=float, default=0.99, help="rmsprop's alpha")
    p.add_argument("--centered", action="store_true", help="rmsprop")
    p.add_argument("--beta1", type=float, default=0.9)
    p.add_argument("--beta2", type=float, default=0.999)
    p.add_argument("--rho", type=float, default=0.9, help="adadelta")
    p.add_argument("--momentum-decay", type=float, default=4e-3, help="nadam's psi")
    p.add_argument("--eps", type=float, default=None,
                   help="default: descent's, 1e-8 (adadelta 1e-6)")
    p.add_argument("--weight-decay", type=float, default=None,
                   help="torch's weight_decay, L2 added to the gradient of every parameter, "
                        "decoupled for adamw (default: 0; adamw 1e-2)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--diverge-factor", type=float, default=0.0,
                   help="stop as diverged once the smoothed loss exceeds this times the "
                        "first (0: only at a non-finite loss)")
    p.add_argument("--train-eval-samples", type=int, default=1000,
                   help="training samples on which training accuracy is measured")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--throughput", action="store_true",
                   help="time one epoch of training steps only")
    p.add_argument("--batches", type=int, default=0,
                   help="--throughput: time this many steps instead of one epoch")
    p.add_argument("--warmup", type=int, default=5, help="--throughput: untimed steps first")
    p.add_argument("--quiet", action="store_true", help="no per-epoch lines on stderr")
    args = p.parse_args(argv)
    args.optimizer = OPTIMIZER_ALIASES.get(args.optimizer, args.optimizer)
    if args.optimizer not in DEFAULT_LR:
        p.error("--optimizer: unknown '%s', expected one of: %s"
                % (args.optimizer, ", ".join(sorted(DEFAULT_LR))))
    if args.lr is None:
        args.lr = DEFAULT_LR[args.optimizer]
    try:
        args.hidden = [int(h) for h in args.hidden.split(",") if h]
    except ValueError:
        p.error("--hidden: expected comma-separated integers, got '%s'" % args.hidden)
    if not args.hidden or min(args.hidden) < 1:
        p.error("--hidden: expected at least one positive layer size")
    if args.threads < 1:
        p.error("--threads: expected at least 1, got %d" % args.threads)
    if args.batch_size < 1 or args.epochs < 1:
        p.error("--batch-size and --epochs: expected at least 1")
    return args


# ---------------------------------------------------------------------------
# descent::Rng: std::mt19937_64 and the shuffle built on it.

class Mt19937_64:
    """std::mt19937_64 (C++11, [rand.predef]) seeded as its one-integer constructor."""
    N, M = 312, 156
    MATRIX_A = 0xB5026F5AA96619E9
    UPPER, LOWER = 0xFFFFFFFF80000000, 0x7FFFFFFF
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        mt = [seed & self.MASK]
        for i in range(1, self.N):
            mt.append((6364136223846793005 * (mt[-1] ^ (mt[-1] >> 62)) + i) & self.MASK)
        self.mt, self.index = mt, self.N

    def _twist(self):
        mt, n, m = self.mt, self.N, self.M
        for i in range(n):
            y = (mt[i] & self.UPPER) | (mt[(i + 1) % n] & self.LOWER)
            mt[i] = mt[(i + m) % n] ^ (y >> 1) ^ (self.MATRIX_A if y & 1 else 0)
        self.index = 0

    def __call__(self):
        if self.index >= self.N:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & self.MASK


def descent_shuffle(n, seed):
    """descent::Rng(seed).shuffle of 0..n-1: Fisher-Yates from the back, with
    rejection sampling for an unbiased draw below i."""
    engine = Mt19937_64(seed)
    top = (1 << 64) - 1
    values = list(range(n))
    for i in range(n, 1, -1):
        limit = top - top % i
        draw = engine()
        while draw >= limit:
            draw = engine()
        j = draw % i
        values[i - 1], values[j] = values[j], values[i - 1]
    return np.array(values, dtype=np.int64)


def stream_seed(seed, stream):
    """descent's independent random streams of one run seed (trainer.cpp):
    0 init, 1 shuffling, 2 dropout, 3 the training-accuracy subset."""
    return (seed * 0x9E3779B97F4A7C15 + stream) & ((1 << 64) - 1)


# ---------------------------------------------------------------------------
# Data, as descent::load_splits prepares it.

def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit("%s: not an IDX file of unsigned bytes" % path)
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find_idx(folder, name):
    for candidate in (os.path.join(folder, name + ".gz"), os.path.join(folder, name)):
        if os.path.exists(candidate):
            return candidate
    raise SystemExit("found neither %s.gz nor %s in %s" % (name, name, folder))


def read_dataset(dataset, data_dir=""):
    """The training and test files, pixels / 255 in float32, not yet split."""
    folder = data_dir or DEFAULT_DATA_DIRS[dataset]

    def read(prefix):
        images = read_idx(find_idx(folder, prefix + "-images-idx3-ubyte"))
        labels = read_idx(find_idx(folder, prefix + "-labels-idx1-ubyte"))
        x = images.reshape(len(images), -1).astype(np.float32)
        x /= np.float32(255)
        return x, labels.astype(np.int64)

    x_all, y_all = read("train")
    x_test, y_test = read("t10k")
    return {"train": (x_all, y_all), "test": (x_test, y_test)}


def make_splits(data, seed, validation_size, train_size=0, consume=False, subtract_mean=True):
    """descent's train/validation/test splits of read_dataset's arrays for a
    seed, with the training split's per-pixel mean removed from all three
    (unless not subtract_mean).
    consume: take the arrays out of `data` (which is emptied), freeing the
    training file once split and centring the test images in place, so that
    a single run's peak memory stays close to descent's; otherwise `data` is
    left untouched for further calls."""
    x_all, y_all = data["train"]
    x_test, y_test = data["test"]
    if consume:
        data.clear()
    n = len(y_all)
    if not 0 <= validation_size < n:
        raise SystemExit("--validation-size: expected fewer than %d" % n)
    order = descent_shuffle(n, seed)
    val_rows = order[:validation_size]
    train_rows = order[validation_size:]
    if train_size > 0:
        if train_size > len(train_rows):
            raise SystemExit("--train-size: expected at most %d" % len(train_rows))
        train_rows = train_rows[:train_size]
    x_train, y_train = x_all[train_rows], y_all[train_rows]
    x_val, y_val = x_all[val_rows], y_all[val_rows]
    del x_all
    if not subtract_mean:
        return {"train": (x_train, y_train), "val": (x_val, y_val), "test": (x_test, y_test)}
    mean = x_train.mean(axis=0, dtype=np.float64).astype(np.float32)
    x_train -= mean  # x_train and x_val are fresh copies: in place
    x_val -= mean
    if consume:
        x_test -= mean
    else:
        x_test = x_test - mean
    return {"train": (x_train, y_train), "val": (x_val, y_val), "test": (x_test, y_test)}


def load_splits(args):
    return make_splits(read_dataset(args.dataset, args.data_dir), args.seed,
                       args.validation_size, args.train_size, consume=True,
                       subtract_mean=args.normalization == "subtract-mean")


# ---------------------------------------------------------------------------
# Network and optimizer.

def build_2c2d(num_classes):
    """DeepOBS's 2c2d (deepobs/tensorflow/testproblems/_2c2d.py) on 1x28x28
    images given as rows of 784."""
    nn = torch.nn
    model = nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 1024), nn.ReLU(), nn.Linear(1024, num_classes))
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(layer.weight, std=0.05, a=-0.1, b=0.1)
                layer.bias.fill_(0.05)
    return model


def build_network(args, input_dim, num_classes):
    nn = torch.nn
    if args.network == "2c2d":
        return build_2c2d(num_classes)
    layers = []
    sizes = [input_dim] + args.hidden
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers.append(nn.Linear(fan_in, fan_out))
        if args.batchnorm:
            layers.append(nn.BatchNorm1d(fan_out, eps=1e-5, momentum=0.1))
        layers.append(nn.ReLU())
        if args.dropout > 0:
            layers.append(nn.Dropout(args.dropout))
    layers.append(nn.Linear(sizes[-1], num_classes))
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for layer in model:
            if not isinstance(layer, nn.Linear):
                continue
            fan_out, fan_in = layer.weight.shape  # torch stores W as (out, in)
            if args.init == "he":
                nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
            elif args.init == "xavier":
                layer.weight.normal_(0.0, (2.0 / (fan_in + fan_out)) ** 0.5)
            elif args.init == "normal":
                layer.weight.normal_(0.0, args.weight_scale)
            if args.init != "pytorch":
                layer.bias.zero_()
    return model


def make_optimizer(args, params):
    """torch's optimizer for a descent optimizer name, with descent's defaults
    where they differ from torch's (Adagrad's eps: torch 1e-10, descent 1e-8)."""
    optim = torch.optim
    name, lr = args.optimizer, args.lr
    kw = {}
    if args.weight_decay is not None:
        kw["weight_decay"] = args.weight_decay
    if name in ("sgd", "momentum", "nesterov"):
        momentum = 0.0 if name == "sgd" else (0.9 if args.momentum is None else args.momentum)
        return optim.SGD(params, lr=lr, momentum=momentum, dampening=args.dampening,
                         nesterov=name == "nesterov", **kw)
    kw["eps"] = args.eps if args.eps is not None else (1e-6 if name == "adadelta" else 1e-8)
    betas = (args.beta1, args.beta2)
    if name == "adagrad":
        return optim.Adagrad(params, lr=lr, **kw)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr, alpha=args.decay_rate, centered=args.centered,
                             momentum=args.momentum or 0.0, **kw)
    if name == "adadelta":
        return optim.Adadelta(params, lr=lr, rho=args.rho, **kw)
    if name in ("adam", "amsgrad"):
        return optim.Adam(params, lr=lr, betas=betas, amsgrad=name == "amsgrad", **kw)
    if name == "adamw":
        return optim.AdamW(params, lr=lr, betas=betas, **kw)
    if name == "adamax":
        return optim.Adamax(params, lr=lr, betas=betas, **kw)
    if name == "nadam":
        return optim.NAdam(params, lr=lr, betas=betas, momentum_decay=args.momentum_decay, **kw)
    if name == "radam":
        return optim.RAdam(params, lr=lr, betas=betas, **kw)
    raise SystemExit("--optimizer: unknown '%s'" % name)


# ---------------------------------------------------------------------------

def import_numerics(threads):
    global np, torch
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    import numpy as np
    import torch
    torch.set_num_threads(threads)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


class Run:
    """The network, optimizer and training step of one run, seeded with
    args.seed; the batch is gathered from the training split, as descent's
    trainer copies its rows."""

    def __init__(self, args, splits):
        torch.manual_seed(args.seed)
        self.args = args
        self.x_train, self.y_train = (torch.from_numpy(a) for a in splits["train"])
        num_classes = int(max(splits["train"][1].max(), splits["test"][1].max())) + 1
        self.model = build_network(args, self.x_train.shape[1], num_classes)
        self.weights = [m.weight for m in self.model
                        if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))]
        self.optimizer = make_optimizer(args, self.model.parameters())
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.model.train()

    def step(self, rows):
        x, y = self.x_train[rows], self.y_train[rows]
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(x), y)
        if self.args.reg > 0:
            loss = loss + 0.5 * self.args.reg * sum((w * w).sum() for w in self.weights)
        loss.backward()
        self.optimizer.step()
        return loss

    def evaluate(self, x, y, batch=1000):
        """(mean loss, accuracy) on NumPy arrays, in evaluation mode."""
        self.model.eval()
        x, y = torch.from_numpy(x), torch.from_numpy(y)
        loss_sum, correct = 0.0, 0
        with torch.no_grad():
            for i in range(0, len(y), batch):
                scores = self.model(x[i:i + batch])
                loss_sum += self.loss_fn(scores, y[i:i + batch]).item() * len(scores)
                correct += (scores.argmax(dim=1) == y[i:i + batch]).sum().item()
        self.model.train()
        return loss_sum / len(y), correct / len(y)


def throughput(args, splits):
    """One epoch of training steps only (whole batches of a fixed shuffled
    order, as bench/train_throughput.cpp), after args.warmup untimed steps."""
    run = Run(args, splits)
    n = len(run.y_train)
    generator = torch.Generator().manual_seed(args.seed)
    order = torch.randperm(n, generator=generator)
    batches = n // args.batch_size
    if batches == 0:
        raise SystemExit("--throughput: fewer than one batch of training samples")
    steps = args.batches if args.batches > 0 else batches

    def rows(step):
        b = step % batches
        return order[b * args.batch_size:(b + 1) * args.batch_size]

    for step in range(args.warmup):
        run.step(rows(step))
    start = time.perf_counter()
    for step in range(args.warmup, args.warmup + steps):
        loss = run.step(rows(step))
    loss = loss.item()
    seconds = time.perf_counter() - start
    samples = steps * args.batch_size
    return {"mode": "throughput", "steps": steps, "seconds": seconds,
            "samples_per_second": samples / seconds, "final_loss": loss}


class DivergenceTest:
    """descent's test (Trainer::divergence): a non-finite loss or, with a
    factor f > 0, a moving average of the loss (beta 0.9, bias-corrected as
    Adam's moments are) above f times the first loss."""

    def __init__(self, factor):
        self.factor, self.first, self.average, self.count = factor, None, 0.0, 0

    def __call__(self, loss):
        if not math.isfinite(loss):
            return True
        self.count += 1
        self.first = loss if self.first is None else self.first
        self.average = 0.9 * self.average + 0.1 * loss
        smoothed = self.average / (1 - 0.9 ** self.count)
        return self.factor > 0 and smoothed > self.factor * self.first


def train(args, splits, make_scheduler=None):
    """Trains one run as `descent train` does and returns its results: status
    (finished or diverged), test_acc, best_val_acc, best_epoch, train_acc,
    val_acc, final_loss, seconds, train_seconds, samples_per_second, and
    history, one record per epoch. make_scheduler(optimizer), if given, makes
    a torch learning-rate scheduler that is stepped once per epoch."""
    run = Run(args, splits)
    scheduler = make_scheduler(run.optimizer) if make_scheduler else None
    n = len(run.y_train)
    subset = descent_shuffle(n, stream_seed(args.seed, 3))[:args.train_eval_samples]
    train_eval = (splits["train"][0][subset], splits["train"][1][subset])
    # From here on, as descent's run time (its Trainer::run).
    start = time.perf_counter()
    train_seconds = 0.0
    best_val, best_epoch, best_state = -1.0, 0, None
    history = []
    final_loss = float("nan")
    diverged = DivergenceTest(args.diverge_factor)
    for epoch in range(1, args.epochs + 1):
        lr = run.optimizer.param_groups[0]["lr"]
        order = torch.randperm(n)
        epoch_start = time.perf_counter()
        loss_sum, batches = 0.0, 0
        for i in range(0, n, args.batch_size):
            final_loss = run.step(order[i:i + args.batch_size]).item()
            loss_sum += final_loss
            batches += 1
            if diverged(final_loss):
                last = history[-1] if history else {}
                return {"status": "diverged", "epoch": epoch, "best_epoch": best_epoch,
                        "best_val_acc": max(best_val, 0.0), "train_acc": last.get("train_acc"),
                        "val_acc": last.get("val_acc"), "test_acc": None,
                        "final_loss": final_loss, "seconds": time.perf_counter() - start,
                        "history": history}
        train_seconds += time.perf_counter() - epoch_start
        _, train_acc = run.evaluate(*train_eval)
        val_loss, val_acc = run.evaluate(*splits["val"])
        history.append({"epoch": epoch, "lr": lr, "train_loss": loss_sum / batches,
                        "train_acc": train_acc, "val_loss": val_loss, "val_acc": val_acc,
                        "seconds": time.perf_counter() - start})
        if not args.quiet:
            print("epoch %d/%d  loss %.4f  val acc %.4f  (%.1f s)"
                  % (epoch, args.epochs, final_loss, val_acc, time.perf_counter() - start),
                  file=sys.stderr)
        if val_acc > best_val:
            best_val, best_epoch = val_acc, epoch
            best_state = copy.deepcopy(run.model.state_dict())
        if scheduler is not None:
            scheduler.step()
    _, final_test_acc = run.evaluate(*splits["test"])
    run.model.load_state_dict(best_state)
    _, test_acc = run.evaluate(*splits["test"])
    return {"status": "finished", "epochs": args.epochs, "test_acc": test_acc,
            "final_test_acc": final_test_acc,
            "best_val_acc": best_val, "best_epoch": best_epoch,
            "train_acc": history[-1]["train_acc"], "val_acc": history[-1]["val_acc"],
            "final_loss": final_loss, "seconds": time.perf_counter() - start,
            "train_seconds": train_seconds,
            "samples_per_second": n * args.epochs / train_seconds, "history": history}


def main(argv):
    args = parse_args(argv)
    import_numerics(args.threads)
    splits = load_splits(args)
    common = {"framework": "pytorch", "torch_version": torch.__version__,
              "threads": args.threads, "network": args.network, "hidden": args.hidden,
              "batch_size": args.batch_size,
              "optimizer": args.optimizer, "lr": args.lr, "init": args.init,
              "train_size": len(splits["train"][1]), "seed": args.seed}
    if args.throughput:
        print(json.dumps(dict(common, **throughput(args, splits), peak_rss_mib=peak_rss_mib())))
        return 0
    result = train(args, splits)
    result.pop("history")
    print(json.dumps(dict(common, mode="train", **result, peak_rss_mib=peak_rss_mib())))
    return 0 if result["status"] == "finished" else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

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
           cross-entropy, plus 0.5 * reg * sum(W^2) over the weight matrices.
  init     he: W ~ N(0, 2 / fan_in), b = 0 (kaiming_normal_, fan_in, relu);
           xavier: W ~ N(0, 2 / (fan_in + fan_out)), b = 0;
           normal: W ~ N(0, weight_scale^2), b = 0;
           pytorch: nn.Linear's own default, W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  loop     minibatches from a fresh shuffle each epoch (the last one may be
           smaller); after each epoch, validation accuracy; the test accuracy
           reported is that of the parameters of the best validation epoch.
What differs: the random numbers of init, shuffling and dropout (torch's
generator, seeded with --seed), and batch norm's running variance (torch keeps
the unbiased batch variance, cs231n the biased one).

Threads: torch.set_num_threads(T), and OPENBLAS_NUM_THREADS=T set before NumPy
and torch are imported, because Debian's torch does its matrix products in
OpenBLAS (pthreads build), whose thread count set_num_threads does not reach.

Modes:
  default       train and print one JSON line: test_acc, best_val_acc,
                best_epoch, seconds (whole run), train_seconds (training steps
                only), samples_per_second (of the training steps), peak_rss_mib.
  --throughput  time one epoch of training steps only (forward, backward,
                update, with the batch gathered from the data set as descent's
                trainer does, whole batches only, after --warmup untimed steps)
                and print one JSON line with samples_per_second.
"""

import argparse
import copy
import gzip
import json
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


def load_splits(args):
    folder = args.data_dir or DEFAULT_DATA_DIRS[args.dataset]

    def read(prefix):
        images = read_idx(find_idx(folder, prefix + "-images-idx3-ubyte"))
        labels = read_idx(find_idx(folder, prefix + "-labels-idx1-ubyte"))
        x = images.reshape(len(images), -1).astype(np.float32)
        x /= np.float32(255)
        return x, labels.astype(np.int64)

    x_all, y_all = read("train")
    x_test, y_test = read("t10k")
    n = len(y_all)
    if not 0 <= args.validation_size < n:
        raise SystemExit("--validation-size: expected fewer than %d" % n)
    order = descent_shuffle(n, args.seed)
    val_rows = order[:args.validation_size]
    train_rows = order[args.validation_size:]
    if args.train_size > 0:
        if args.train_size > len(train_rows):
            raise SystemExit("--train-size: expected at most %d" % len(train_rows))
        train_rows = train_rows[:args.train_size]
    x_train, y_train = x_all[train_rows], y_all[train_rows]
    x_val, y_val = x_all[val_rows], y_all[val_rows]
    del x_all
    mean = x_train.mean(axis=0, dtype=np.float64).astype(np.float32)
    for x in (x_train, x_val, x_test):
        x -= mean  # in place: the peak memory is then close to descent's
    return {"train": (x_train, y_train), "val": (x_val, y_val), "test": (x_test, y_test)}


# ---------------------------------------------------------------------------
# Network and optimizer.

def build_network(args, input_dim, num_classes):
    nn = torch.nn
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


def main(argv):
    args = parse_args(argv)
    import_numerics(args.threads)
    torch.manual_seed(args.seed)

    splits = load_splits(args)
    x_train, y_train = (torch.from_numpy(a) for a in splits["train"])
    num_classes = int(max(splits["train"][1].max(), splits["test"][1].max())) + 1
    model = build_network(args, x_train.shape[1], num_classes)
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    optimizer = make_optimizer(args, model.parameters())
    loss_fn = torch.nn.CrossEntropyLoss()

    def train_step(rows):
        x, y = x_train[rows], y_train[rows]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        if args.reg > 0:
            loss = loss + 0.5 * args.reg * sum((w * w).sum() for w in weights)
        loss.backward()
        optimizer.step()
        return loss

    @torch.no_grad()
    def accuracy(x, y, batch=1000):
        model.eval()
        x, y = torch.from_numpy(x), torch.from_numpy(y)
        correct = 0
        for i in range(0, len(y), batch):
            correct += (model(x[i:i + batch]).argmax(dim=1) == y[i:i + batch]).sum().item()
        model.train()
        return correct / len(y)

    n = len(y_train)
    common = {"framework": "pytorch", "torch_version": torch.__version__,
              "threads": args.threads, "hidden": args.hidden, "batch_size": args.batch_size,
              "optimizer": args.optimizer, "lr": args.lr, "init": args.init,
              "train_size": n, "seed": args.seed}
    model.train()

    if args.throughput:
        # A fixed shuffled order of whole batches, as bench/train_throughput.cpp.
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
            train_step(rows(step))
        start = time.perf_counter()
        for step in range(args.warmup, args.warmup + steps):
            loss = train_step(rows(step))
        loss = loss.item()
        seconds = time.perf_counter() - start
        samples = steps * args.batch_size
        print(json.dumps(dict(common, mode="throughput", steps=steps, seconds=seconds,
                              samples_per_second=samples / seconds, final_loss=loss,
                              peak_rss_mib=peak_rss_mib())))
        return 0

    start = time.perf_counter()
    train_seconds = 0.0
    best_val, best_epoch, best_state = -1.0, 0, None
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(n)
        epoch_start = time.perf_counter()
        for i in range(0, n, args.batch_size):
            loss = train_step(order[i:i + args.batch_size])
        loss = loss.item()
        train_seconds += time.perf_counter() - epoch_start
        if loss != loss or abs(loss) == float("inf"):
            print(json.dumps(dict(common, mode="train", status="diverged", epoch=epoch)))
            return 3
        val = accuracy(*splits["val"])
        if not args.quiet:
            print("epoch %d/%d  loss %.4f  val acc %.4f  (%.1f s)"
                  % (epoch, args.epochs, loss, val, time.perf_counter() - start), file=sys.stderr)
        if val > best_val:
            best_val, best_epoch = val, epoch
            best_state = copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    test = accuracy(*splits["test"])
    seconds = time.perf_counter() - start
    print(json.dumps(dict(common, mode="train", status="finished", epochs=args.epochs,
                          test_acc=test, best_val_acc=best_val, best_epoch=best_epoch,
                          seconds=seconds, train_seconds=train_seconds,
                          samples_per_second=n * args.epochs / train_seconds,
                          peak_rss_mib=peak_rss_mib())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

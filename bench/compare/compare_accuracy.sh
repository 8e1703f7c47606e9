#!/usr/bin/env bash
# Trains the notes' six optimizers, each at its tuned learning rate, with
# `descent compare` and with PyTorch (torch_compare.py --grid tuned), and
# prints per optimizer the test accuracy of each side over the seeds (mean,
# min..max), the difference of the means in points, and whether it is within
# the tolerance. Both sides take the same train/validation split and the same
# training-accuracy subset for a seed; their random draws (init, shuffling)
# differ, so the spread over seeds says how much a difference means.
#
# Exit status: 0 if every difference is within the tolerance, 1 if one is not,
# 2 for a usage error or a program that failed.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/compare/compare_accuracy.sh [options]

  --seeds LIST       seeds, comma-separated (default 0,1,2)
  --jobs N           runs at a time on each side, one thread each (default 2)
  --tolerance P      largest acceptable difference of the means, in points
                     (default 1.5)
  --epochs N         (default 5)
  --train-size N     training samples, 0 for all 55,000 (default 0)
  --keep DIR         write both sweep folders under DIR (DIR/descent,
                     DIR/pytorch) and keep them

The grid: sgd 5e-3, momentum 5e-3, nesterov 5e-3, adagrad 1e-2, rmsprop 1e-4,
adam 1e-3, constant learning rate, 5 hidden layers of 100, He init, batch 100.
DESCENT is the descent program (default build/cli/descent); PYTHON (default
/usr/bin/python3) runs torch_compare.py.
EOF
}

# shellcheck source=bench/compare/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
grid=sgd:5e-3,momentum:5e-3,nesterov:5e-3,adagrad:1e-2,rmsprop:1e-4,adam:1e-3

seeds=0,1,2
jobs=2
tolerance=1.5
epochs=5
train_size=0
keep=""
while (($#)); do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --tolerance) tolerance=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --train-size) train_size=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare_accuracy.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
require_descent compare_accuracy.sh
make_work_folder "$keep"
rm -rf "$work/descent" "$work/pytorch"


echo "== descent compare ($jobs jobs) ..." >&2
start=$(date +%s.%N)
if ! "$descent" compare --optimizers "$grid" --seeds "$seeds" --jobs "$jobs" \
    --epochs "$epochs" --train-size "$train_size" --out "$work/descent" --quiet \
    >"$work/descent.log" 2>&1; then
  echo "descent compare failed: $(tail -n 1 "$work/descent.log")" >&2
  exit 2
fi
descent_seconds=$(seconds_since "$start")
echo "== torch_compare.py ($jobs jobs) ..." >&2
start=$(date +%s.%N)
if ! "$python" "$here/torch_compare.py" --optimizers "$grid" --seeds "$seeds" --jobs "$jobs" \
    --epochs "$epochs" --train-size "$train_size" --out "$work/pytorch" --quiet \
    >"$work/pytorch.log" 2>&1; then
  echo "torch_compare.py failed: $(tail -n 1 "$work/pytorch.log")" >&2
  exit 2
fi
pytorch_seconds=$(seconds_since "$start")

echo "settings: hidden 100x5, batch 100, $epochs epochs, init he," \
  "train size $([[ $train_size == 0 ]] && echo all || echo "$train_size"), seeds $seeds"
printf 'wall time (%s jobs): descent %.1f s, pytorch %.1f s; load average now:%s\n' \
  "$jobs" "$descent_seconds" "$pytorch_seconds" "$(uptime | sed 's/.*load average://')"
"$python" - "$work/descent/summary.json" "$work/pytorch/summary.json" "$tolerance" <<'EOF'
import json, statistics, sys

def test_accuracies(path):
    """(optimizer, lr) -> {seed: test accuracy in percent, None if not finished}."""
    runs = {}
    for row in json.load(open(path)):
        if row["schedule"] != "constant":
            continue
        accuracy = 100 * row["test_acc"] if row["status"] == "finished" else None
        runs.setdefault((row["optimizer"], row["lr"]), {})[row["seed"]] = accuracy
    return runs

def spread(values):
    return "%6.2f (%.2f..%.2f)" % (statistics.mean(values), min(values), max(values))

descent, torch = test_accuracies(sys.argv[1]), test_accuracies(sys.argv[2])
tolerance = float(sys.argv[3])
print("%-10s %-8s %-24s %-24s %11s %8s" % (
    "optimizer", "lr", "descent % mean (range)", "pytorch % mean (range)", "diff points",
    "within"))
ok = True
for key in descent:
    optimizer, lr = key
    d, t = descent[key], torch.get(key, {})
    if sorted(d) != sorted(t) or None in d.values() or None in t.values():
        print("%-10s %-8.3g runs missing or not finished: descent %s, pytorch %s" % (
            optimizer, lr, d, t))
        ok = False
        continue
    d, t = list(d.values()), list(t.values())
    difference = statistics.mean(d) - statistics.mean(t)
    within = abs(difference) <= tolerance
    ok &= within
    print("%-10s %-8.3g %-24s %-24s %+11.2f %8s" % (
        optimizer, lr, spread(d), spread(t), difference, "yes" if within else "NO"))
print("all within %.2f points" % tolerance if ok else "NOT all within %.2f points" % tolerance)
sys.exit(0 if ok else 1)
EOF

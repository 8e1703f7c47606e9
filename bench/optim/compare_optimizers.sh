#!/usr/bin/env bash
# Optimizer step speed of descent beside torch.optim, on the same machine in
# the same run: optimizer_step (descent, with its reference bandwidth loops)
# and then torch_optim_speed.py (PyTorch), at the same sizes and thread
# counts, joined into one table:
#   optimizer, size, threads, descent's median ms/step, its GB/s and % of the
#   fused loop of the same shape (of the best steps, as STREAM reports),
#   torch's median ms/step (the faster of foreach off and on), and the speedup
#   (torch ms / descent ms, above 1: descent is faster) of the medians and of
#   the best steps.
# Builds nothing: build optimizer_step first (see bench/optim/README.md).
# The load average before and after is printed: other processes on the
# machine slow both sides, and two threads on two busy cores most of all.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/optim/compare_optimizers.sh [BINARY] [options]

  BINARY               optimizer_step (default build/bench/optim/optimizer_step,
                       from the repository root)
  --sizes LIST         parameter counts, comma-separated
                       (default 1000000,10000000,50000000)
  --threads LIST       thread counts, comma-separated (default 1,2)
  --optimizers LIST    descent's names, comma-separated (default all)
  --gb-per-case X      GB each repetition of a descent case moves
                       (default optimizer_step's, 1.5)
  --repetitions N      repetitions of each descent case (default
                       optimizer_step's, 3, in a random order)
  --torch-min-seconds S  time each torch case for at least S seconds (default 0.5)
  --keep DIR           keep both sides' JSON lines in DIR

PYTHON (default /usr/bin/python3) runs torch_optim_speed.py.
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}

bench=""
sizes=1000000,10000000,50000000
threads=1,2
optimizers=""
gb_per_case=""
repetitions=""
torch_min_seconds=0.5
keep=""
while (($#)); do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --optimizers) optimizers=$2; shift 2 ;;
    --gb-per-case) gb_per_case=$2; shift 2 ;;
    --repetitions) repetitions=$2; shift 2 ;;
    --torch-min-seconds) torch_min_seconds=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "compare_optimizers.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *)
      if [[ -n $bench ]]; then
        echo "compare_optimizers.sh: one BINARY only (see --help)" >&2; exit 2
      fi
      bench=$1; shift ;;
  esac
done
bench=${bench:-$root/build/bench/optim/optimizer_step}
if [[ ! -x $bench ]]; then
  echo "compare_optimizers.sh: '$bench' is not an executable; build optimizer_step" \
    "(see bench/optim/README.md) or pass its path" >&2
  exit 2
fi

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  work=$keep
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

descent_args=(--sizes="$sizes" --threads="$threads" --summary-out="$work/descent.jsonl")
[[ -n $optimizers ]] && descent_args+=(--optimizers="$optimizers")
[[ -n $gb_per_case ]] && descent_args+=(--gb-per-case="$gb_per_case")
[[ -n $repetitions ]] && descent_args+=(--benchmark_repetitions="$repetitions")
echo "== descent: $bench" >&2
"$bench" "${descent_args[@]}" >&2

# torch.optim has no counterpart of some of descent's optimizers (lion).
torch_args=(--sizes="$sizes" --threads="$threads" --min-seconds="$torch_min_seconds")
if [[ -n $optimizers ]]; then
  known=$("$python" -B -c '
import sys
sys.path.insert(0, sys.argv[1])
from torch_optim_speed import CASES
print(",".join(n for n in sys.argv[2].split(",") if n in CASES))' "$here" "$optimizers")
  torch_args+=(--optimizers="$known")
fi
echo "== torch.optim: $here/torch_optim_speed.py" >&2
if [[ -z $optimizers || -n ${known:-} ]]; then
  "$python" "$here/torch_optim_speed.py" "${torch_args[@]}" > "$work/torch.jsonl"
else
  : > "$work/torch.jsonl"
fi

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo

"$python" - "$work/descent.jsonl" "$work/torch.jsonl" <<'EOF'
import json
import sys

descent = [json.loads(line) for line in open(sys.argv[1])]
torch = {(r["optimizer"], r["size"], r["threads"]): r for r in map(json.loads, open(sys.argv[2]))}

print("descent's step against its fused loop of the same shape (% loop, best steps) and against")
print("torch.optim (speedup: torch's median step over descent's; best: of the best steps)")
print(f"{'optimizer':<10}{'size':>10}{'threads':>8}{'ms/step':>10}{'GB/s':>8}{'% loop':>8}"
      f"{'torch ms':>10}{'foreach':>9}{'speedup':>9}{'best':>7}")
for r in descent:
    if r["kind"] != "optimizer":
        continue
    t = torch.get((r["name"], r["size"], r["threads"]))
    if t is not None and t["ms_per_step"] is None:
        t = None  # no way of torch's stayed finite
    percent = f"{100 * r['ratio']:.0f}" if "ratio" in r else "-"
    torch_ms = f"{t['ms_per_step']:.3f}" if t else "-"
    foreach = ("on" if t["foreach"] else "off") if t else "-"
    speedup = f"{t['ms_per_step'] / r['ms_per_step']:.1f}x" if t else "-"
    best = f"{t['best_ms_per_step'] / r['best_ms_per_step']:.1f}x" if t else "-"
    print(f"{r['name']:<10}{r['size']:>10}{r['threads']:>8}{r['ms_per_step']:>10.3f}"
          f"{r['gb_per_s']:>8.1f}{percent:>8}{torch_ms:>10}{foreach:>9}{speedup:>9}{best:>7}")
EOF

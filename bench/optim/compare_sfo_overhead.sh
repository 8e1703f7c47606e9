#!/usr/bin/env bash
# SFO's own time per evaluation, descent's beside its authors' sfo.py, on the
# same machine in the same run: sfo_overhead (descent) and then
# sfo_python_overhead.py (the authors' sfo.py, imported from the folder given
# with --sfo-ref), at the sizes of tests/optim/reference/sfo/ref_overhead.json,
# joined into one table of CPU and wall milliseconds per evaluation (medians
# of the repetitions) and the speedup (sfo.py's CPU ms / descent's).
# Builds nothing: build sfo_overhead first (see bench/optim/README.md).
# The load average before and after is printed: on a shared machine the wall
# clock counts the time other processes hold the core, the CPU time does not.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/optim/compare_sfo_overhead.sh --sfo-ref DIR [BINARY] [--repetitions N]

  --sfo-ref DIR    a copy of github.com/Sohl-Dickstein/Sum-of-Functions-Optimizer
                   (the folder holding sfo.py)
  BINARY           sfo_overhead (default build/bench/optim/sfo_overhead, from
                   the repository root)
  --repetitions N  repetitions of each size on each side (default 3)

PYTHON (default /usr/bin/python3, with numpy) runs the authors' side.
USAGE
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
bench="$root/build/bench/optim/sfo_overhead"
sfo_ref=""
repetitions=3
while (($#)); do
  case $1 in
    --sfo-ref) sfo_ref=$2; shift 2 ;;
    --repetitions) repetitions=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "compare_sfo_overhead.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) bench=$1; shift ;;
  esac
done
if [[ -z $sfo_ref || ! -f $sfo_ref/sfo.py ]]; then
  echo "compare_sfo_overhead.sh: --sfo-ref must name a folder holding sfo.py" >&2
  exit 2
fi
if [[ ! -x $bench ]]; then
  echo "compare_sfo_overhead.sh: $bench: not built (cmake --build build --target sfo_overhead)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_NUM_THREADS=1 "$bench" --benchmark_repetitions="$repetitions" \
  --benchmark_format=json --benchmark_out="$work/descent.json" > /dev/null
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$python" "$here/sfo_python_overhead.py" \
  --sfo-ref "$sfo_ref" --repetitions "$repetitions" > "$work/python.jsonl"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

"$python" - "$work/descent.json" "$work/python.jsonl" <<'PY'
import json, statistics, sys
descent, python = {}, {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    size = tuple(int(v.split(":")[1]) for v in b["name"].split("/")[1:3])
    descent.setdefault(size, []).append((b["ms_per_eval"], b["wall_ms"], b["python_ms"]))
for line in open(sys.argv[2]):
    r = json.loads(line)
    python.setdefault((r["M"], r["N"]), []).append((r["cpu_ms_per_eval"], r["wall_ms_per_eval"]))
print("%8s %5s %12s %12s %12s %12s %9s %14s" % ("M", "N", "descent cpu", "descent wall",
      "sfo.py cpu", "sfo.py wall", "speedup", "ref_overhead"))
for size in sorted(descent):
    d = descent[size]
    p = python.get(size, [(float("nan"), float("nan"))])
    dc = statistics.median(v[0] for v in d)
    dw = statistics.median(v[1] for v in d)
    pc = statistics.median(v[0] for v in p)
    pw = statistics.median(v[1] for v in p)
    print("%8d %5d %12.3f %12.3f %12.3f %12.3f %8.1fx %14.3f" % (size[0], size[1], dc, dw, pc, pw,
          pc / dc, d[0][2]))
print("ms per evaluation; speedup = sfo.py cpu / descent cpu; ref_overhead: sfo.py's wall ms "
      "recorded in tests/optim/reference/sfo/ref_overhead.json")
PY

#!/usr/bin/env bash
# Wall time of `descent compare` (the notes' default experiment, and --quick)
# against torch_compare.py on the same grids, with the same number of runs at
# a time, one thread each. Each descent sweep is timed right before the
# PyTorch sweep of the same grid, and the load average is printed before each
# sweep and after the last: on a machine busy with other work the times say
# little, their ratio a bit more.
#
# Exit status: 0, or 2 for a usage error or a program that failed.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/compare/compare_time.sh [options]

  --grids LIST   notes (descent compare), quick (descent compare --quick),
                 comma-separated (default notes,quick)
  --jobs N       runs at a time on each side, one thread each (default 2)
  --seeds LIST   seeds, comma-separated (default 0; passed to descent compare
                 only when not 0, the seed of its default experiment)
  --keep DIR     write the sweep folders under DIR (DIR/<grid>-descent,
                 DIR/<grid>-pytorch) and keep them

DESCENT is the descent program (default build/cli/descent); PYTHON (default
/usr/bin/python3) runs torch_compare.py.
EOF
}

# shellcheck source=bench/compare/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

grids=notes,quick
jobs=2
seeds=0
keep=""
while (($#)); do
  case $1 in
    --grids) grids=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare_time.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
require_descent compare_time.sh
make_work_folder "$keep"

load() { cut -d' ' -f1-3 /proc/loadavg; }
runs_in() { "$python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$1"; }

# Times one command, its output in a log; prints "seconds".
timed() {
  local log=$1
  shift
  local start
  start=$(date +%s.%N)
  if ! "$@" >"$log" 2>&1; then
    echo "compare_time.sh: failed: $* : $(tail -n 1 "$log")" >&2
    exit 2
  fi
  seconds_since "$start"
}

# descent compare's default experiment runs seed 0; --seeds is passed only for
# other seeds.
seed_flag=()
[[ $seeds == 0 ]] || seed_flag=(--seeds "$seeds")

results=()
IFS=, read -r -a grid_list <<<"$grids"
for grid in "${grid_list[@]}"; do
  case $grid in
    notes) quick=() ;;
    quick) quick=(--quick) ;;
    *) echo "compare_time.sh: unknown grid '$grid', expected notes or quick" >&2; exit 2 ;;
  esac
  rm -rf "$work/$grid-descent" "$work/$grid-pytorch"
  load_descent=$(load)
  echo "== $grid: descent compare ${quick[*]} (load $load_descent) ..." >&2
  descent_seconds=$(timed "$work/$grid-descent.log" "$descent" compare ${quick[@]+"${quick[@]}"} \
    ${seed_flag[@]+"${seed_flag[@]}"} --jobs "$jobs" --out "$work/$grid-descent" --quiet)
  load_pytorch=$(load)
  echo "== $grid: torch_compare.py --grid $grid (load $load_pytorch) ..." >&2
  pytorch_seconds=$(timed "$work/$grid-pytorch.log" "$python" "$here/torch_compare.py" \
    --grid "$grid" --seeds "$seeds" --jobs "$jobs" --out "$work/$grid-pytorch" --quiet)
  results+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$grid" \
    "$(runs_in "$work/$grid-descent/summary.json")" "$(runs_in "$work/$grid-pytorch/summary.json")" \
    "$descent_seconds" "$pytorch_seconds" "$load_descent" "$load_pytorch")")
done

echo "$jobs runs at a time, 1 thread each, seeds $seeds; $(nproc) cores;" \
  "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset}"
printf '%-6s %7s %11s %11s %7s   %-16s %-16s\n' grid runs "descent s" "pytorch s" ratio \
  "load (descent)" "load (pytorch)"
for row in "${results[@]}"; do
  IFS=$'\t' read -r grid descent_runs pytorch_runs descent_seconds pytorch_seconds \
    load_descent load_pytorch <<<"$row"
  ratio=$(awk -v d="$descent_seconds" -v t="$pytorch_seconds" 'BEGIN { printf "%.2f", t / d }')
  # The run counts of the two sides, both if they differ.
  runs=$descent_runs
  [[ $descent_runs == "$pytorch_runs" ]] || runs=$descent_runs/$pytorch_runs
  printf '%-6s %7s %11.1f %11.1f %7s   %-16s %-16s\n' "$grid" "$runs" "$descent_seconds" \
    "$pytorch_seconds" "$ratio" "$load_descent" "$load_pytorch"
done
echo "ratio: pytorch time / descent time (above 1: descent is faster); load average after: $(load)"

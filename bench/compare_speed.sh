#!/usr/bin/env bash
# Training speed and memory of descent against PyTorch on the same machine, in
# the same run:
#   speed   samples per second of training steps (forward, backward, SGD
#           update) over one epoch of Fashion-MNIST, for 784-100x5-10 at batch
#           100, 784-1000-500-100-10 at batch 128 and fmnist-2c2d (DeepOBS's
#           conv net) at batch 128, at each thread count:
#           build-bench/bench/train_throughput against torch_train.py --throughput.
#           Each descent measurement is followed at once by its PyTorch one, so
#           that a change in the machine's load hits both alike.
#   memory  peak resident memory of a whole `descent train` run against
#           torch_train.py on the same settings, by GNU time (/usr/bin/time -v).
# Ratios above 1 mean descent is faster; the load average before and after is
# printed because other processes skew both sides.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/compare_speed.sh [options]

  --threads LIST      thread counts, comma-separated (default 1,2)
  --networks LIST     of 784-100x5-10, 784-1000-500-100-10, fmnist-2c2d,
                      comma-separated (default: all three)
  --repeats N         measure each case N times and keep each side's best
                      (default 1)
  --batches N         time N steps instead of one epoch (a quick check)
  --memory-epochs N   epochs of the memory runs (default 1)
  --no-memory         skip the memory runs
  --build-dir DIR     where train_throughput and descent were built
                      (default build-bench, else build)
  --data-dir DIR      Fashion-MNIST's folder (default: Debian's)

PYTHON (default /usr/bin/python3) runs torch_train.py.
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
python=${PYTHON:-/usr/bin/python3}

threads=1,2
networks_wanted=784-100x5-10,784-1000-500-100-10,fmnist-2c2d
repeats=1
batches=""
memory_epochs=1
memory=1
build_dir=""
data_dir=""
while (($#)); do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --networks) networks_wanted=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --memory-epochs) memory_epochs=$2; shift 2 ;;
    --no-memory) memory=0; shift ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare_speed.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -z $build_dir ]]; then
  for candidate in "$root/build-bench" "$root/build"; do
    if [[ -x $candidate/bench/train_throughput ]]; then build_dir=$candidate; break; fi
  done
fi
bench=$build_dir/bench/train_throughput
descent=$build_dir/cli/descent
if [[ -z $build_dir || ! -x $bench ]]; then
  echo "compare_speed.sh: train_throughput was not found; build it (see bench/README.md)" \
    "or pass --build-dir" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

json_get() {
  "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# samples_per_second of the one benchmark in a Google Benchmark JSON report.
bench_rate() {
  "$python" -c '
import json, sys
runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if "samples_per_second" in b]
if len(runs) != 1 or "error_message" in runs[0]:
    sys.exit("train_throughput: expected one successful benchmark in " + sys.argv[1])
print(runs[0]["samples_per_second"])' "$1"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load average before: $(load)"
# Both programs use libgomp, whose waiting threads spin unless told otherwise;
# on a machine busy with other work that decides the multi-thread figures.
echo "OMP_WAIT_POLICY: ${OMP_WAIT_POLICY:-unset}"

# name, torch_train.py's network flags, batch size
all_networks=("784-100x5-10 --hidden=100,100,100,100,100 100"
  "784-1000-500-100-10 --hidden=1000,500,100 128"
  "fmnist-2c2d --network=2c2d 128")
networks=()
IFS=, read -r -a wanted <<<"$networks_wanted"
for w in "${wanted[@]}"; do
  found=0
  for network in "${all_networks[@]}"; do
    if [[ ${network%% *} == "$w" ]]; then networks+=("$network"); found=1; fi
  done
  ((found)) || { echo "compare_speed.sh: --networks: unknown '$w'" >&2; exit 2; }
done
data_flags=()
bench_data_flags=()
if [[ -n $data_dir ]]; then
  data_flags=(--data-dir "$data_dir")
  bench_data_flags=("--data-dir=$data_dir")
fi
IFS=, read -r -a thread_list <<<"$threads"
rates=$work/rates.tsv
: >"$rates"
for network in "${networks[@]}"; do
  read -r name torch_network batch_size <<<"$network"
  for t in "${thread_list[@]}"; do
    for ((r = 1; r <= repeats; r++)); do
      echo "== $name, $t thread(s), repeat $r: descent ..." >&2
      "$bench" "--threads=$t" ${batches:+"--batches=$batches"} ${bench_data_flags[@]+"${bench_data_flags[@]}"} \
        "--benchmark_filter=^train_epoch/$name/batch:$batch_size/threads:$t/" \
        --benchmark_format=json >"$work/bench.json" 2>"$work/bench.log" ||
        { cat "$work/bench.log" >&2; exit 2; }
      d=$(bench_rate "$work/bench.json")
      echo "== $name, $t thread(s), repeat $r: pytorch ..." >&2
      "$python" "$here/torch_train.py" --throughput "$torch_network" --batch-size "$batch_size" \
        --threads "$t" ${batches:+--batches "$batches"} ${data_flags[@]+"${data_flags[@]}"} \
        >"$work/torch.json" 2>"$work/torch.log" || { cat "$work/torch.log" >&2; exit 2; }
      p=$(json_get "$work/torch.json" samples_per_second)
      printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$batch_size" "$t" "$d" "$p" >>"$rates"
    done
  done
done

echo
echo "training throughput, samples/s (best of $repeats; one epoch${batches:+ cut to $batches steps};" \
  "SGD; Fashion-MNIST)"
"$python" - "$rates" <<'EOF'
import sys
best = {}
for line in open(sys.argv[1]):
    name, batch, threads, d, p = line.split("\t")
    key = (name, batch, threads)
    old = best.get(key, (0.0, 0.0))
    best[key] = (max(old[0], float(d)), max(old[1], float(p)))
print("%-22s %6s %8s %16s %16s %16s" % ("network", "batch", "threads", "descent", "pytorch",
                                         "descent/pytorch"))
for (name, batch, threads), (d, p) in best.items():
    print("%-22s %6s %8s %16.0f %16.0f %16.2f" % (name, batch, threads, d, p, d / p))
EOF

if ((memory)); then
  echo
  echo "peak resident memory of a whole run (784-100x5-10, batch 100, $memory_epochs epoch(s)," \
    "55,000 training samples, 1 thread)"
  if [[ ! -x /usr/bin/time ]]; then
    echo "GNU time is not installed (/usr/bin/time; Debian: apt-get install time):" \
      "descent's peak memory is not measured"
    "$python" "$here/torch_train.py" --epochs "$memory_epochs" --threads 1 --quiet \
      ${data_flags[@]+"${data_flags[@]}"} >"$work/torch-run.json"
    printf '%-10s %12s %s\n' pytorch \
      "$(json_get "$work/torch-run.json" peak_rss_mib | cut -d. -f1) MiB" "(getrusage)"
  else
    max_rss() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
    [[ -x $descent ]] || { echo "compare_speed.sh: $descent was not found" >&2; exit 2; }
    /usr/bin/time -v "$descent" train --epochs "$memory_epochs" --threads 1 --quiet \
      ${data_flags[@]+"${data_flags[@]}"} --out "$work/descent-run" >/dev/null 2>"$work/descent-time.log" ||
      { cat "$work/descent-time.log" >&2; exit 2; }
    /usr/bin/time -v "$python" "$here/torch_train.py" --epochs "$memory_epochs" --threads 1 --quiet \
      ${data_flags[@]+"${data_flags[@]}"} >"$work/torch-run.json" 2>"$work/torch-time.log" ||
      { cat "$work/torch-time.log" >&2; exit 2; }
    d_kib=$(max_rss "$work/descent-time.log")
    p_kib=$(max_rss "$work/torch-time.log")
    "$python" - "$d_kib" "$p_kib" "$(json_get "$work/descent-run/metrics.json" seconds)" \
      "$(json_get "$work/torch-run.json" seconds)" <<'EOF'
import sys
d, p = int(sys.argv[1]) / 1024, int(sys.argv[2]) / 1024
print("%-10s %12s %12s" % ("", "peak MiB", "run seconds"))
print("%-10s %12.0f %12.1f" % ("descent", d, float(sys.argv[3])))
print("%-10s %12.0f %12.1f" % ("pytorch", p, float(sys.argv[4])))
print("descent/pytorch memory: %.2f" % (d / p))
EOF
  fi
fi
echo
echo "load average after: $(load)"

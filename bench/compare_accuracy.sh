#!/usr/bin/env bash
# Trains the same network on the same data with descent (`descent train`) and
# with PyTorch (bench/torch_train.py), and prints the two test accuracies side
# by side, their difference in points, and whether it is within the tolerance.
# Both programs take the same train/validation split for a seed and report the
# test accuracy of their best epoch by validation accuracy; their random draws
# (init, shuffling, dropout) differ, so several seeds say more than one.
#
# Exit status: 0 if every difference is within the tolerance, 1 if one is not,
# 2 for a usage error or a program that failed.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/compare_accuracy.sh [options]

  --optimizer LIST   optimizers, comma-separated (default sgd); each is run
                     with every seed
  --lr X             learning rate (default: descent's for the optimizer,
                     sgd 5e-3; PyTorch gets the rate descent used)
  --init NAME        he, normal, xavier or pytorch (default he)
  --epochs N         (default 5)
  --batch-size N     (default 100)
  --hidden LIST      hidden layer sizes (default 100,100,100,100,100)
  --train-size N     training samples, 0 for all 55,000 (default 0)
  --seeds LIST       seeds, comma-separated (default 0)
  --threads N        threads of each program (default 1)
  --tolerance P      largest acceptable difference in points (default 1.5)
  --descent PATH     the descent program (default: build-bench/cli/descent,
                     else build/cli/descent)
  --dataset NAME, --data-dir DIR, --reg X, --dropout P, --weight-scale X,
  --batchnorm, --momentum X, --dampening X, --decay-rate X, --beta1 X,
  --beta2 X, --eps X, --rho X, --momentum-decay X, --weight-decay X
                     passed to both programs as they are
  --centered         RMSProp's centered variant, in both
  --momentum-convention NAME
                     descent only (notes or torch: the same updates at a
                     constant learning rate and no dampening)

The PyTorch side also takes from descent's config.json every optimizer
hyperparameter descent resolved (momentum, decay-rate, beta1, beta2, eps,
weight-decay, ...), so that defaults agree. PYTHON (default /usr/bin/python3)
runs torch_train.py.
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
python=${PYTHON:-/usr/bin/python3}

optimizers=sgd
lr=""
init=he
epochs=5
batch_size=100
hidden=100,100,100,100,100
train_size=0
seeds=0
threads=1
tolerance=1.5
descent=""
both=()          # flags both programs take under the same name
descent_only=()  # flags for descent alone

while (($#)); do
  case $1 in
    --optimizer | --optimizers) optimizers=$2; shift 2 ;;
    --lr) lr=$2; shift 2 ;;
    --init) init=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --batch-size) batch_size=$2; shift 2 ;;
    --hidden) hidden=$2; shift 2 ;;
    --train-size) train_size=$2; shift 2 ;;
    --seeds | --seed) seeds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --tolerance) tolerance=$2; shift 2 ;;
    --descent) descent=$2; shift 2 ;;
    --dataset | --data-dir | --reg | --dropout | --weight-scale | --momentum | --dampening | \
      --decay-rate | --beta1 | --beta2 | --eps | --rho | --momentum-decay | --weight-decay)
      both+=("$1" "$2"); shift 2 ;;
    --batchnorm) both+=("$1"); shift ;;
    # descent's --centered takes a value; torch_train.py gets it from config.json.
    --centered) descent_only+=(--centered true); shift ;;
    --momentum-convention) descent_only+=("$1" "$2"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare_accuracy.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -z $descent ]]; then
  for candidate in "$root/build-bench/cli/descent" "$root/build/cli/descent"; do
    if [[ -x $candidate ]]; then descent=$candidate; break; fi
  done
fi
if [[ -z $descent || ! -x $descent ]]; then
  echo "compare_accuracy.sh: the descent program was not found; build it or pass --descent" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/results.tsv
: >"$results"

# The value of `key` in a JSON file (a flat object).
json_get() {
  "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# torch_train.py flags for the optimizer hyperparameters in descent's config.json.
hyperparameters_of() {
  "$python" - "$1" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
for key in ("momentum", "dampening", "decay-rate", "beta1", "beta2", "eps", "weight-decay",
            "rho", "momentum-decay"):
    if config.get(key) is not None:
        print("--%s\n%r" % (key, config[key]))
if config.get("centered"):
    print("--centered")
EOF
}

common=(--init "$init" --epochs "$epochs" --batch-size "$batch_size" --hidden "$hidden"
        --train-size "$train_size" --threads "$threads" ${both[@]+"${both[@]}"})
failed=0
IFS=, read -r -a optimizer_list <<<"$optimizers"
IFS=, read -r -a seed_list <<<"$seeds"
for optimizer in "${optimizer_list[@]}"; do
  for seed in "${seed_list[@]}"; do
    run=$work/$optimizer-$seed
    echo "== $optimizer, seed $seed: descent ..." >&2
    if ! "$descent" train --optimizer "$optimizer" ${lr:+--lr "$lr"} --seed "$seed" \
        "${common[@]}" ${descent_only[@]+"${descent_only[@]}"} --quiet --out "$run" \
        >"$run.log" 2>&1; then
      echo "descent failed: $(tail -n 1 "$run.log")" >&2
      printf '%s\t%s\t%s\tdescent failed\n' "$optimizer" "${lr:-nan}" "$seed" >>"$results"
      failed=1
      continue
    fi
    used_lr=$(json_get "$run/config.json" lr)
    mapfile -t torch_hyper < <(hyperparameters_of "$run/config.json")
    echo "== $optimizer, seed $seed: pytorch ..." >&2
    if ! "$python" "$here/torch_train.py" --optimizer "$optimizer" --lr "$used_lr" --seed "$seed" \
        "${common[@]}" ${torch_hyper[@]+"${torch_hyper[@]}"} --quiet >"$run.torch" 2>"$run.torch.log"; then
      echo "torch_train.py failed: $(tail -n 1 "$run.torch.log")" >&2
      printf '%s\t%s\t%s\tpytorch failed\n' "$optimizer" "$used_lr" "$seed" >>"$results"
      failed=1
      continue
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$optimizer" "$used_lr" "$seed" \
      "$(json_get "$run/metrics.json" test_acc)" "$(json_get "$run.torch" test_acc)" \
      "$(json_get "$run/metrics.json" seconds)" "$(json_get "$run.torch" seconds)" >>"$results"
  done
done

echo "settings: hidden $hidden, batch $batch_size, $epochs epochs, init $init," \
  "train size $([[ $train_size == 0 ]] && echo all || echo "$train_size"), $threads thread(s)" \
  ${both[@]+"${both[*]}"} ${descent_only[@]+"${descent_only[*]}"}
set +e
"$python" - "$results" "$tolerance" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
tolerance = float(sys.argv[2])
if not rows:
    sys.exit(2)
print("%-10s %-8s %5s %10s %10s %12s %8s %10s %10s" % (
    "optimizer", "lr", "seed", "descent %", "pytorch %", "diff points", "within", "descent s",
    "pytorch s"))
ok = True
by_optimizer = {}
for row in rows:
    if len(row) == 4:  # a program failed
        print("%-10s %-8.3g %5s %s" % (row[0], float(row[1]), row[2], row[3]))
        ok = False
        continue
    optimizer, lr, seed, d, t, ds, ts = row
    d, t = 100 * float(d), 100 * float(t)
    within = abs(d - t) <= tolerance
    ok &= within
    by_optimizer.setdefault(optimizer, []).append((d, t))
    print("%-10s %-8.3g %5s %10.2f %10.2f %+12.2f %8s %10.1f %10.1f" % (
        optimizer, float(lr), seed, d, t, d - t, "yes" if within else "NO", float(ds), float(ts)))
for optimizer, pairs in by_optimizer.items():
    if len(pairs) > 1:
        d = statistics.mean(p[0] for p in pairs)
        t = statistics.mean(p[1] for p in pairs)
        within = abs(d - t) <= tolerance
        ok &= within
        print("%-10s %-8s %5s %10.2f %10.2f %+12.2f %8s" % (
            optimizer, "", "mean", d, t, d - t, "yes" if within else "NO"))
print("all within %.2f points" % tolerance if ok else
      "NOT all within %.2f points" % tolerance)
sys.exit(0 if ok else 1)
EOF
status=$?
set -e
if ((failed)); then exit 2; fi
exit "$status"

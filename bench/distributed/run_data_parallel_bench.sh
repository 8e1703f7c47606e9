#!/usr/bin/env bash
# Throughput of synchronous data-parallel training at 1 and 2 processes, one
# thread each, and its scaling efficiency: samples/s at np 2 over twice np 1's.
#   bench/distributed/run_data_parallel_bench.sh [build folder] [steps]
set -euo pipefail
build=${1:-build}
steps=${2:-200}
for np in 1 2; do
  OMP_NUM_THREADS=1 mpirun --allow-run-as-root --oversubscribe -np "$np" \
    "$build/bench/distributed/data_parallel_bench" "$steps"
done

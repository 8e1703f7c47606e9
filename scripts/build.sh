#!/usr/bin/env bash
# Builds the descent program in Release into build/ (build/cli/descent), and nothing
# else: no tests, no benchmarks (scripts/test.sh builds those).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDESCENT_BUILD_TESTS=OFF \
  -DDESCENT_BUILD_BENCH=OFF "$@" >/dev/null
cmake --build build -j"$(nproc)" --target descent_exe

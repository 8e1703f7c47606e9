#!/usr/bin/env bash
# Builds descent in Release into build/ (the descent program is build/cli/descent).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDESCENT_WERROR=ON "$@" >/dev/null
cmake --build build -j"$(nproc)"

#!/usr/bin/env bash
# Installs everything descent needs from Debian 12's packages.
#   scripts/setup.sh          library, command line, tests, fuzzers, data
#   scripts/setup.sh --bench  also PyTorch, liblbfgs and LBFGSpp, for the side-by-side benchmarks
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libeigen3-dev libopenblas-openmp-dev zlib1g-dev libomp-dev
  libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  libplplot-dev plplot-driver-cairo libpng-dev
  libjs-chart.js chromium
  # protobuf: only the test that reads TensorBoard event files back with it
  libprotobuf-dev protobuf-compiler
  libopenmpi-dev openmpi-bin
  dataset-fashion-mnist
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3 python3-torch python3-numpy time liblbfgs-dev liblbfgspp-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

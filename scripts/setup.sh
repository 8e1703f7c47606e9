#!/usr/bin/env bash
# Installs what descent needs from Debian 12's packages.
#   scripts/setup.sh          the library and the descent program, and the data
#   scripts/setup.sh --test   also what the tests, the sanitizer build, the fuzzers and the
#                             Python package need
#   scripts/setup.sh --bench  also PyTorch, liblbfgs and LBFGSpp, for the side-by-side benchmarks
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libeigen3-dev libopenblas-openmp-dev zlib1g-dev
  libcli11-dev nlohmann-json3-dev
  libplplot-dev plplot-driver-cairo
  libjs-chart.js
  libopenmpi-dev openmpi-bin
  dataset-fashion-mnist
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev libomp-dev
  libpng-dev chromium
  # protobuf: only the test that reads TensorBoard event files back with it
  libprotobuf-dev protobuf-compiler
  # the Python package (python/): its bindings, and its tests against PyTorch
  pybind11-dev python3-dev python3-numpy python3-pytest python3-torch
  python3-venv python3-setuptools python3-wheel
)
for option in "$@"; do
  case "$option" in
    --test) packages+=("${test_packages[@]}") ;;
    --bench)
      packages+=("${test_packages[@]}")
      packages+=(python3 python3-torch python3-numpy time liblbfgs-dev liblbfgspp-dev) ;;
    *) echo "setup.sh: unknown option '$option' (expected --test or --bench)" >&2; exit 2 ;;
  esac
done

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

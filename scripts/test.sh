#!/usr/bin/env bash
# The whole quality gate, as CI runs it:
#   1. Release build, every test;
#   2. the Python package, pip-installed into a virtual environment, and its tests;
#   3. Debug build under AddressSanitizer and UndefinedBehaviorSanitizer, every test;
#   4. libFuzzer targets (clang), each for FUZZ_SECONDS on seeds from fuzz/seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-30}

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDESCENT_WERROR=ON -DDESCENT_BUILD_TESTS=ON \
  -DDESCENT_BUILD_BENCH=ON -DDESCENT_BUILD_PYTHON=ON -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== Python package in a virtual environment, and its tests"
# pip builds descent._core in the Release tree above (setup.py) and installs
# the package; the tests run from python/tests so that they import the
# installed package, not the sources.
venv=build/python-venv
rm -rf "$venv"
/usr/bin/python3 -m venv --system-site-packages "$venv"
DESCENT_CMAKE_BUILD_DIR=build "$venv/bin/pip" install --quiet --no-build-isolation --no-index .
(cd python/tests && "../../$venv/bin/python" -m pytest -q -p no:cacheprovider .)

echo "== Debug build under ASan and UBSan, and tests"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDESCENT_WERROR=ON -DDESCENT_SANITIZE=ON \
  -DDESCENT_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== Fuzz targets, ${fuzz_seconds} s each"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DDESCENT_BUILD_FUZZ=ON -DDESCENT_BUILD_TESTS=OFF -DDESCENT_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$jobs"
for target in build-fuzz/fuzz/fuzz_*; do
  name=$(basename "$target")
  corpus=$(mktemp -d)
  cp -r "fuzz/seeds/${name#fuzz_}/." "$corpus/"
  echo "-- $name"
  log="$corpus.log"
  if ! "$target" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $name found a failure" >&2
    exit 1
  fi
  grep -E "^(Done|stat::number_of_executed_units)" "$log" || true
  rm -f "$log"
  rm -rf "$corpus"
done
echo "fuzz: all targets ran clean"

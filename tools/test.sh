#!/usr/bin/env bash
# Builds and runs every test: unit suites, compile-only header tests, examples
# as smoke tests and CMake consumption tests with g++ and with clang, the same
# under AddressSanitizer + UBSan, the b2 build, and the documentation build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh

start=$SECONDS
for preset in gcc clang asan-ubsan; do
    echo "== $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    ctest --preset "$preset"
done

echo "== b2 (gcc)"
b2 -j"$(nproc)" toolset=gcc test

echo "== documentation"
bash doc/build.sh

echo "== all tests passed in $((SECONDS - start)) s"

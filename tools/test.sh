#!/usr/bin/env bash
# Builds and runs every test: the format check; unit suites, compile-only
# header tests, examples as smoke tests and CMake consumption tests with g++
# and with clang; the same under AddressSanitizer + UBSan (of the examples,
# the networked ones); a Release build at
# -O2 -Wall -Wextra -Werror, as users build; the concurrent queues' stress
# test under ThreadSanitizer; the unit tests, the stress test and the
# examples against Boost 1.83 and 1.88 with both compilers; the b2 build;
# and the documentation build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh

start=$SECONDS
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0

echo "== format (clang-format, .clang-format)"
git ls-files '*.hpp' '*.cpp' '*.ipp' | xargs clang-format --dry-run --Werror

phase_start=$SECONDS
phase_done() { echo "-- $1: $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }

for preset in gcc clang asan-ubsan release-werror; do
    echo "== $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    ctest --preset "$preset" | tee "$log"
    n=$(sed -nE 's/.* 0 tests failed out of ([0-9]+)$/\1/p' "$log")
    passed=$((passed + n))
    phase_done "$preset"
done

# ThreadSanitizer for the thread-safe queues: their multi-thread stress test
# and the concurrent_queue example, five runs each (thread interleavings
# differ from run to run).
echo "== tsan"
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target muster_stress example_concurrent_queue
ctest --preset tsan -R '^(stress|example_concurrent_queue)$' --repeat until-fail:5 \
    | tee "$log"
n=$(sed -nE 's/.* 0 tests failed out of ([0-9]+)$/\1/p' "$log")
passed=$((passed + n))
phase_done tsan

# Newer Boost: Debian 13's 1.83 (Asio 1.28) and 1.88 (Asio 1.34), fetched as
# headers into build/boost (the system's packages stay as they are) and used
# with Boost.Test's header-only variant: the unit tests, the stress test and
# the examples, with g++ and with clang.
bash tools/fetch-boost.sh 1.83 1.88 build/boost
for preset in boost-1.83-gcc boost-1.83-clang boost-1.88-gcc boost-1.88-clang; do
    echo "== $preset"
    version=${preset#boost-}
    version=${version%-*}
    cmake --preset "$preset" | grep -F "against Boost $version.0" # the Boost it names
    cmake --build --preset "$preset"
    ctest --preset "$preset" | tee "$log"
    n=$(sed -nE 's/.* 0 tests failed out of ([0-9]+)$/\1/p' "$log")
    passed=$((passed + n))
    phase_done "$preset"
done

echo "== b2 (gcc)"
b2 -j"$(nproc)" toolset=gcc test | tee "$log"
passed=$((passed + $(grep -c '^\*\*passed\*\*' "$log" || true)))
phase_done b2

echo "== documentation (doc-comment template, guide, API reference)"
python3 tools/check_doc_comments.py
python3 tools/check_readme.py
bash doc/build.sh
phase_done documentation

echo "== every test passed in $((SECONDS - start)) s"
echo "tests: $passed passed, 0 failed"

#!/usr/bin/env bash
# Builds and runs every test: the format check; unit suites, compile-only
# header tests, examples as smoke tests and CMake consumption tests with
# clang, and with g++ in a Release build at -O2 -Wall -Wextra -Werror, as
# users build; the same under AddressSanitizer + UBSan with g++ (of the
# examples, the networked ones); the concurrent queues' stress
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
# Builds a configured preset and runs its tests, counting them.
build_and_test() {
    cmake --build --preset "$1"
    ctest --preset "$1" | tee "$log"
    n=$(sed -nE 's/.* 0 tests failed out of ([0-9]+)$/\1/p' "$log")
    passed=$((passed + n))
    phase_done "$1"
}

# (g++ debug without sanitizers, the gcc preset, adds nothing that
# asan-ubsan and release-werror do not check, and is left to developers.)
for preset in clang asan-ubsan release-werror; do
    echo "== $preset"
    cmake --preset "$preset" >/dev/null
    build_and_test "$preset"
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
    cmake --preset "$preset" | grep -F "against Boost $version.0" ||
        { echo "$preset: not configured against Boost $version" >&2; exit 1; }
    build_and_test "$preset"
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

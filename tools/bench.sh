#!/usr/bin/env bash
# Builds the benchmarks (Release, g++ -O3 as the release preset does), runs
# each once, and keeps their output in doc/bench/ (one <name>.txt each), from
# which doc/build.sh draws the charts of the performance page. Run it on an
# idle machine: every ratio is against an anchor measured in the same run,
# but noise from other work still moves the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake --preset release >/dev/null
names=(queue lock gather wait_for bounded)
cmake --build --preset release --target "${names[@]/#/bench_}"
mkdir -p doc/bench
for name in "${names[@]}"; do
    echo "== bench_$name"
    "build/release/bench/bench_$name" | tee "doc/bench/$name.txt"
done
{
    echo "date: $(date -u +%Y-%m-%d)"
    echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "compiler: $(g++ --version | head -1)"
    echo "boost: $(sed -nE 's/^#define BOOST_LIB_VERSION "(.*)"/\1/p' /usr/include/boost/version.hpp)"
} > doc/bench/machine.txt
cat doc/bench/machine.txt

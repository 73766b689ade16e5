#!/usr/bin/env bash
# Builds and runs the demo (example/demo.cpp): a search front end that fans
# each query out to three backend servers over TCP on loopback, with gather,
# wait, wait_for, a bounded work queue and per-backend semaphores. Arguments
# are passed to the demo; --help lists its options.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake --preset gcc >/dev/null
cmake --build --preset gcc --target example_demo
echo
build/gcc/example/example_demo "$@"

#!/usr/bin/env bash
# Builds and runs the demo: example programs showing what Boost.Muster does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake --preset gcc >/dev/null
cmake --build --preset gcc --target example_echo_tasks example_task_basics
for demo in echo_tasks task_basics; do
    echo
    echo "== example/$demo.cpp"
    "build/gcc/example/example_$demo"
done

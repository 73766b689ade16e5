#!/usr/bin/env bash
# Builds and runs the demo: example programs showing what Boost.Muster does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake --preset gcc >/dev/null
demos=(echo_tasks task_basics seed_1 seed_2 seed_3 seed_4 seed_5 seed_6 seed_7_fixed seed_8 seed_9 concurrent_queue
    lock semaphore event condition barrier shared_lock)
cmake --build --preset gcc --target "${demos[@]/#/example_}"
for demo in "${demos[@]}"; do
    echo
    echo "== example/$demo.cpp"
    "build/gcc/example/example_$demo"
done

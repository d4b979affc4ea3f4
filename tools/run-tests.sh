#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: host unit tests (ASan and
# UBSan) and in-VM tests (QEMU, TCG unless TORO_ACCEL says otherwise).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TORO_BUILD:-$root/build}
"$root/tools/bootstrap.sh"
export TORO_ACCEL=${TORO_ACCEL:-tcg}
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
